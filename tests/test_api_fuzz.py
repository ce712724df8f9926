"""Property-based fuzzing of the whole OpenAPI schema (schemathesis), as every role.

Each operation gets generated requests, valid and not, sent signed in as each
role and as nobody: none may make the server fail. (Schemathesis's strategies
are driven with Hypothesis directly: its pytest plugin does not run under
pytest 9.)
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from api_service import Service, service_of_its_own
from hypothesis import HealthCheck, given, settings

from graphsvc.access import Role
from graphsvc.api import create_app
from graphsvc.synthetic import NetworkRecords

EXAMPLES_PER_OPERATION = 40
SCHEMA = schemathesis.openapi.from_dict(create_app().openapi())
OPERATIONS = sorted(
    (method.upper(), path) for path, ops in SCHEMA.raw_schema["paths"].items() for method in ops
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def fuzzed(
    embedded_dir: Path, small_network: NetworkRecords, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Service]:
    """A service of its own: fuzzing changes data (imports, users, introductions)."""
    accounts = tmp_path_factory.mktemp("fuzz")
    with service_of_its_own(embedded_dir, small_network, accounts, "fuzzed") as built:
        yield built


def _send(service: Service, case: Any, role: Role | None) -> Any:
    kwargs = case.as_transport_kwargs(base_url="http://testserver", headers=service.headers(role))
    # requests' names for what the test client (httpx) calls otherwise
    if "data" in kwargs and not isinstance(kwargs["data"], dict):
        kwargs["content"] = kwargs.pop("data")
    for unused in ("verify", "allow_redirects", "timeout"):
        kwargs.pop(unused, None)
    if cookies := kwargs.pop("cookies", None):
        kwargs["headers"] = {
            **kwargs.get("headers", {}),
            "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
        }
    return service.client.request(**kwargs)


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_no_generated_request_makes_a_server_error_for_any_role(
    fuzzed: Service, method: str, path: str
) -> None:
    operation = SCHEMA[path][method]

    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def requests_from_every_role(case: Any) -> None:
        for role in (None, *Role):
            fuzzed.ensure_users()  # a generated request may sign out or remove a user
            response = _send(fuzzed, case, role)
            assert response.status_code < 500, (role, case, response.text)
            assert "Traceback" not in response.text

    requests_from_every_role()
