"""Users of the web service, their sign-ins and tokens, kept in a small SQLite file.

Not part of the network's graph: users are people who use the service, and
only some of them are linked to a Person in the network.
"""

from graphsvc.accounts.store import AccountStore, Token, User, open_accounts

__all__ = ["AccountStore", "Token", "User", "open_accounts"]
