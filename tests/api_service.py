"""The web service over a real store and account file, with a signed-in user per role.

Used by the API tests: ``build_service`` loads a synthetic network, adds one
user per role (the member and the connector linked to people in it) and gives
each a bearer token.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from graphsvc.access import Role
from graphsvc.accounts import AccountStore, open_accounts
from graphsvc.api import create_app
from graphsvc.service import Network
from graphsvc.store import GraphStore, open_store
from graphsvc.synthetic import NetworkRecords

PASSWORD = "a long enough test password"


@dataclass
class Service:
    store: GraphStore
    accounts: AccountStore
    network: Network
    app: FastAPI
    client: TestClient
    # person ids by visibility, sorted; the member and connector users are linked
    # to the first two "network" people
    people: dict[str, list[str]]
    accounts_path: Path
    tokens: dict[Role, str] = field(default_factory=dict)

    def email(self, role: Role) -> str:
        return f"{role.value}@test.invalid"

    @property
    def member_person(self) -> str:
        return self.people["network"][0]

    @property
    def connector_person(self) -> str:
        return self.people["network"][1]

    def ensure_users(self) -> None:
        """Every role's user and a working bearer token (fuzzing may revoke or remove them)."""
        linked = {Role.MEMBER: self.member_person, Role.CONNECTOR: self.connector_person}
        for role in Role:
            user = self.accounts.user_by_email(self.email(role))
            if user is None:
                user = self.accounts.add_user(self.email(role), role, PASSWORD, linked.get(role))
            token = self.tokens.get(role)
            if token is None or self.accounts.user_for_token(token, "bearer") is None:
                self.tokens[role] = self.accounts.issue_token(user.id, "bearer", "test")[1]

    def headers(self, role: Role | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"} if role else {}

    def get(self, path: str, role: Role | None, **params: Any) -> Any:
        return self.client.get(path, headers=self.headers(role), params=params)


def people_by_visibility(records: NetworkRecords) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {"network": [], "connectors": [], "hidden": []}
    for node in records.nodes():
        if node.KIND == "Person":
            found[str(node.visibility)].append(node.id)
    return {k: sorted(v) for k, v in found.items()}


@contextmanager
def build_service(
    store: GraphStore, records: NetworkRecords, accounts_path: Path
) -> Iterator[Service]:
    store.upsert_nodes(records.nodes())
    store.upsert_relationships(records.relationships())
    accounts = open_accounts(accounts_path)
    network = Network(store, accounts)
    app = create_app(network)
    try:
        with TestClient(app) as client:
            service = Service(
                store, accounts, network, app, client, people_by_visibility(records), accounts_path
            )
            service.ensure_users()
            yield service
    finally:
        network.close()
        accounts.close()


@contextmanager
def service_of_its_own(
    embedded_dir: Path, records: NetworkRecords, accounts_dir: Path, graph: str
) -> Iterator[Service]:
    """A service on a graph of its own in the embedded store, emptied afterwards."""
    store = open_store(str(embedded_dir), graph=graph)
    store.clear()
    try:
        with build_service(store, records, accounts_dir / "accounts.sqlite") as built:
            yield built
    finally:
        store.clear()
        store.close()
