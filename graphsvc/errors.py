"""Errors a user can act on.

Each carries a one-line message that names the setting or input at fault and
what to do about it; the CLI prints it without a traceback.
"""


class GraphsvcError(Exception):
    """A problem the user can fix; its message is shown as is."""


class StoreConfigError(GraphsvcError):
    """The store setting points at something unusable."""


class StoreUnavailableError(GraphsvcError):
    """The database could not be reached or started."""


class RecordError(GraphsvcError):
    """A record handed to the store breaks the graph model."""


class ImportFileError(GraphsvcError):
    """A file cannot be imported at all (unreadable, wrong layout, too big)."""
