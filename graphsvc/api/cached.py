"""Finished JSON responses kept for the graph version they were made from.

Analysis responses are the same for everyone with the same role and person
and change only when the graph does, so their bytes are kept on the version's
view: a repeat costs a dictionary lookup instead of filtering and
serialising thousands of people. A new version starts with none; so does an
erasure, which drops the view.

A response is kept by the query parameters its route declares, so made-up
ones cannot make copies of it, and the kept bodies are bounded by their size:
the least recently used go first.
"""

import json
from collections.abc import Callable
from urllib.parse import urlencode

from fastapi import Request, Response
from fastapi.dependencies.models import Dependant
from pydantic import BaseModel

from graphsvc.access import Viewer
from graphsvc.service import NetworkView

# Bytes of finished responses kept per graph version (a full map of 10,000
# members is a few MiB).
BUDGET_BYTES = 64 * 2**20
# The query parameters each route declares, by its operation id.
_declared: dict[str, frozenset[str]] = {}


def cached_json(
    request: Request,
    view: NetworkView,
    viewer: Viewer,
    build: Callable[[], BaseModel],
    *,
    fresh: dict[str, BaseModel] | None = None,
) -> Response:
    """The response for this request and audience, built once per graph version.

    ``fresh`` fields are not kept: they are made for each request and put
    first in the object that ``build`` makes.
    """
    key = (request.url.path, recognised_query(request), viewer.role.value, viewer.person_id or "")
    body = view.kept_response(key)
    if body is None:
        epoch = view.consent_epoch
        body = build().model_dump_json().encode()
        view.keep_response(key, body, epoch, BUDGET_BYTES)
    if fresh:
        added = b",".join(
            json.dumps(name).encode() + b":" + value.model_dump_json().encode()
            for name, value in fresh.items()
        )
        body = b"{" + added + (b"," + body[1:] if body != b"{}" else b"}")
    return Response(body, media_type="application/json")


def recognised_query(request: Request) -> str:
    """The query parameters the route declares, in one order; any others are dropped.

    Every value given is kept (FastAPI reads the last of a repeated one, or
    all of them for a list), so two queries answered differently never
    share a key.
    """
    route = request.scope["route"]
    names = _declared.get(route.unique_id)
    if names is None:
        names = _declared[route.unique_id] = _query_names(route.dependant)
    given = request.query_params
    return urlencode([(name, value) for name in sorted(names) for value in given.getlist(name)])


def _query_names(dependant: Dependant) -> frozenset[str]:
    names = {param.alias for param in dependant.query_params}
    for needed in dependant.dependencies:
        names |= _query_names(needed)
    return frozenset(names)
