"""``python -m graphsvc``: the same as the ``graphsvc`` command."""

from graphsvc.cli import main

if __name__ == "__main__":
    main()
