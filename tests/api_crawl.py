"""Every GET route of the JSON API, called with sample ids, every page followed.

Used to check that no response anywhere names someone it must not.
"""

import re
from typing import Any

from api_service import Service

from graphsvc.access import Role


def api_routes(service: Service) -> list[tuple[str, str]]:
    """(method, path) of every JSON route, as the OpenAPI schema lists them."""
    paths = service.client.get("/openapi.json").json()["paths"]
    return sorted((method.upper(), path) for path, ops in paths.items() for method in ops)


def sample_ids(service: Service, role: Role) -> dict[str, list[str]]:
    """Values for each path parameter: the people of every visibility, and one of each group."""
    admin = service.headers(Role.ADMIN)
    first = {
        kind: service.client.get(f"/api/{kind}", headers=admin).json()["items"][0]["id"]
        for kind in ("organisations", "cells", "events")
    }
    constellations = service.client.get("/api/constellations", headers=admin).json()
    people = service.people
    return {
        "person_id": [
            people["network"][0],
            people["network"][5],
            people["connectors"][0],
            people["hidden"][0],
        ],
        "org_id": [first["organisations"]],
        "cell_id": [first["cells"]],
        "event_id": [first["events"]],
        "constellation_id": [c["id"] for c in constellations["constellations"][:3]],
        "report_id": ["1"],
        "token_id": ["none"],
        "user_id": ["1"],
    }


def crawl(service: Service, role: Role) -> dict[str, str]:
    """Every GET response body for ``role``, keyed by the URL asked for."""
    samples = sample_ids(service, role)
    bodies: dict[str, str] = {}
    for method, path in api_routes(service):
        if method != "GET":
            continue
        names = re.findall(r"{(\w+)}", path)
        urls = [path]
        for name in names:
            urls = [u.replace(f"{{{name}}}", value) for u in urls for value in samples[name]]
        for url in urls:
            offset = 0
            while True:
                response = service.client.get(
                    url, headers=service.headers(role), params={"offset": offset, "limit": 200}
                )
                bodies[f"{url}?offset={offset}"] = response.text
                body: Any = response.json() if response.status_code == 200 else None
                if not (isinstance(body, dict) and "total" in body and "items" in body):
                    break
                offset += 200
                if offset >= body["total"]:
                    break
    return bodies
