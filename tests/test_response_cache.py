"""Finished responses kept per graph version: by the parameters a route declares,
within a budget of bytes."""

import pytest
from api_service import Service

from graphsvc.access import Role
from graphsvc.api import cached
from graphsvc.service import NetworkView


def kept(service: Service) -> NetworkView:
    """The view whose responses are kept now (no change is made meanwhile)."""
    return service.network.view()


def test_made_up_query_parameters_add_no_kept_responses(shared_service: Service) -> None:
    first = shared_service.get("/api/map", Role.MEMBER)
    before = len(kept(shared_service).responses)
    answers = [shared_service.get("/api/map", Role.MEMBER, junk=n) for n in range(50)]
    assert len(kept(shared_service).responses) == before
    assert {a.content for a in answers} == {first.content}


def test_declared_parameters_in_any_order_share_one_kept_response(shared_service: Service) -> None:
    headers = shared_service.headers(Role.CONVENOR)
    one = shared_service.client.get("/api/map?colour_by=region&q=a", headers=headers)
    before = len(kept(shared_service).responses)
    other = shared_service.client.get("/api/map?q=a&junk=1&colour_by=region", headers=headers)
    assert one.status_code == other.status_code == 200
    assert one.content == other.content
    assert len(kept(shared_service).responses) == before


def test_different_values_of_a_declared_parameter_are_kept_apart(shared_service: Service) -> None:
    by_region = shared_service.get("/api/map", Role.ADMIN, colour_by="region")
    by_sector = shared_service.get("/api/map", Role.ADMIN, colour_by="sector")
    assert by_region.json()["colour_by"] == "region"
    assert by_sector.json()["colour_by"] == "sector"


def test_kept_responses_stay_within_their_byte_budget_least_recently_used_first(
    shared_service: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    size = len(shared_service.get("/api/map", Role.ADMIN, colour_by="region").content)
    budget = 3 * size
    monkeypatch.setattr(cached, "BUDGET_BYTES", budget)
    view = kept(shared_service)
    view.responses.clear()
    view.responses_bytes = 0
    for role in (Role.MEMBER, Role.CONNECTOR, Role.CONVENOR, Role.ADMIN):
        for colour_by in ("constellation", "sector", "region"):
            assert shared_service.get("/api/map", role, colour_by=colour_by).status_code == 200
            assert view.responses_bytes <= budget
            # The admin's first map, used again each time, is never the one to go.
            shared_service.get("/api/map", Role.ADMIN, colour_by="region")
    assert view.responses_bytes == sum(
        len(body) + sum(len(part) for part in key) for key, body in view.responses.items()
    )
    assert 1 < len(view.responses) < 12
    assert any(key[1] == "colour_by=region" and key[2] == "admin" for key in view.responses)


def test_a_response_larger_than_the_whole_budget_is_served_but_not_kept(
    shared_service: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cached, "BUDGET_BYTES", 100)
    view = kept(shared_service)
    view.responses.clear()
    view.responses_bytes = 0
    assert shared_service.get("/api/map", Role.ADMIN).status_code == 200
    assert not view.responses and view.responses_bytes == 0
