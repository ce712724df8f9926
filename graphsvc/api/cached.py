"""Finished JSON responses kept for the graph version they were made from.

Analysis responses are the same for everyone with the same role and person
and change only when the graph does, so their bytes are kept on the version's
view: a repeat costs a dictionary lookup instead of filtering and
serialising thousands of people. A new version starts with none; so does an
erasure, which drops the view.
"""

import json
from collections.abc import Callable

from fastapi import Request, Response
from pydantic import BaseModel

from graphsvc.access import Viewer
from graphsvc.service import NetworkView

MAX_KEPT = 4096  # responses per version; past it the oldest half goes


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
    key = (request.url.path, request.url.query, viewer.role.value, viewer.person_id or "")
    body = view.responses.get(key)
    if body is None:
        epoch = view.consent_epoch
        body = build().model_dump_json().encode()
        view.keep_response(key, body, epoch, MAX_KEPT)
    if fresh:
        added = b",".join(
            json.dumps(name).encode() + b":" + value.model_dump_json().encode()
            for name, value in fresh.items()
        )
        body = b"{" + added + (b"," + body[1:] if body != b"{}" else b"}")
    return Response(body, media_type="application/json")
