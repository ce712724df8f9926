"""``graphsvc user``: the people who may sign in to the web service, and their roles."""

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from graphsvc.access import Role
from graphsvc.accounts import AccountStore, open_accounts
from graphsvc.cli.options import StoreOption
from graphsvc.config import get_settings
from graphsvc.errors import GraphsvcError
from graphsvc.store import open_store

app = typer.Typer(help="Add, list and remove the users of the web service.", no_args_is_help=True)

EmailArgument = Annotated[str, typer.Argument(help="The user's email address.", show_default=False)]


def _accounts(store: str | None) -> AccountStore:
    return open_accounts(get_settings().accounts_path(store))


@app.command("add")
def add_user(
    email: EmailArgument,
    role: Annotated[
        Role, typer.Option(help="member, connector, convenor or admin.", show_default=False)
    ],
    person: Annotated[
        str | None,
        typer.Option(
            help="Their Person id in the network (members see their own record).",
            show_default=False,
        ),
    ] = None,
    password: Annotated[
        str,
        typer.Option(
            prompt=True,
            hide_input=True,
            confirmation_prompt=True,
            help="Asked for if not given (at least 12 characters).",
        ),
    ] = "",
    store: StoreOption = None,
) -> None:
    """Add a user who may sign in with a password."""
    if person is not None:
        with open_store(store) as graph:
            if graph.person(person) is None:
                raise GraphsvcError(f"--person: no person {person} in the store")
    with _accounts(store) as accounts:
        user = accounts.add_user(email, role, password, person)
        accounts.audit.record(
            None, "account.added", person, {"user": str(user.id), "role": user.role.value}
        )
    Console().print(f"Added user {user.id} ({user.role.value}).", highlight=False)


@app.command("list")
def list_users(store: StoreOption = None) -> None:
    """List users and their roles."""
    with _accounts(store) as accounts:
        users = accounts.users()
    table = Table(title=f"{len(users)} users")
    for heading in ("Id", "Email", "Role", "Person", "Added"):
        table.add_column(heading)
    for u in users:
        table.add_row(str(u.id), Text(u.email), u.role.value, Text(u.person_id or ""), u.created)
    Console().print(table)


@app.command("remove")
def remove_user(email: EmailArgument, store: StoreOption = None) -> None:
    """Remove a user; their sessions and tokens stop working at once."""
    with _accounts(store) as accounts:
        user = accounts.user_by_email(email)
        if user is None or not accounts.remove_user(user.id):
            raise GraphsvcError("no user with that email")
        accounts.audit.record(None, "account.removed", None, {"user": str(user.id)})
    Console().print("Removed.")


@app.command("token")
def make_token(
    email: EmailArgument,
    name: Annotated[str, typer.Option(help="What the token is for.")] = "cli",
    store: StoreOption = None,
) -> None:
    """Make a bearer token for a program acting as this user (printed once)."""
    with _accounts(store) as accounts:
        user = accounts.user_by_email(email)
        if user is None:
            raise GraphsvcError("no user with that email")
        token, secret = accounts.issue_token(user.id, "bearer", name)
    Console(stderr=True).print(
        f"Token {token.id}, valid until {token.expires}. Send it as "
        "'Authorization: Bearer <token>'; it is not shown again.",
        highlight=False,
    )
    typer.echo(secret)
