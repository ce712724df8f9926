"""A newcomer's first steps: the README's first screen says how to sign in, and
the demo's users fit an 80-column terminal."""

import re
from pathlib import Path

from test_cli import run

README = Path(__file__).parent.parent / "README.md"


def test_the_readmes_first_screen_says_how_to_sign_in_and_how_to_stop() -> None:
    first_screen = "\n".join(README.read_text(encoding="utf-8").splitlines()[:25])
    assert "make demo" in first_screen
    assert "/sign-in" in first_screen and "password" in first_screen
    assert "Ctrl+C" in first_screen


def test_the_demo_prints_whole_users_and_passwords_in_80_columns(tmp_path: Path) -> None:
    loaded = run(
        "demo", "--store", str(tmp_path / "demo"), "--members", "100", "--no-serve",
        env={"COLUMNS": "80"},
    )  # fmt: skip
    assert loaded.returncode == 0, loaded.stderr
    assert max(len(line) for line in loaded.stdout.splitlines()) <= 80
    for role in ("member", "connector", "convenor", "admin"):
        row = next(line for line in loaded.stdout.splitlines() if f"{role}@demo.invalid" in line)
        assert "…" not in row
        # The password is whole: 16 URL-safe characters, the token_urlsafe(12) it was made as.
        assert re.search(
            rf"{role}@demo\.invalid\s*│\s*{role}\s*│\s*[A-Za-z0-9_-]{{16}}\s*│", row
        ), row
