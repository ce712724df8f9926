"""The application layer: changes go through one place, answers never wait for a
recompute, the finished analysis survives a restart, and erasure leaves no cache."""

import json
import shutil
import stat
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from api_service import PASSWORD, Service

from graphsvc.access import Role
from graphsvc.accounts import AccountStore, open_accounts
from graphsvc.analysis import pipeline
from graphsvc.model import Visibility
from graphsvc.service import ImportOptions, Network, NetworkView, refresh
from graphsvc.service.network import store_identity
from graphsvc.service.saved import SavedGeneration
from graphsvc.store import GraphStore
from graphsvc.synthetic import NetworkRecords

FIXTURES = Path(__file__).parent / "fixtures"


def eventually(check: Callable[[], bool], seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "did not happen in time"
        time.sleep(0.05)


@pytest.fixture
def held_refresh(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[threading.Event, list[int]]]:
    """Background refreshes wait at the gate until it opens; the versions they build
    are listed. Requests and changes run as usual."""
    gate, built = threading.Event(), []
    real = NetworkView.build.__func__  # type: ignore[attr-defined]

    def build(cls: type[NetworkView], version: int, snapshot: Any) -> NetworkView:
        if threading.current_thread().name == "graphsvc-refresh":
            built.append(version)
            assert gate.wait(120), "the test never opened the gate"
        view: NetworkView = real(cls, version, snapshot)
        return view

    monkeypatch.setattr(NetworkView, "build", classmethod(build))
    yield gate, built
    gate.set()


def counted_analyses(monkeypatch: pytest.MonkeyPatch) -> list[int | None]:
    """Every run of the real analysis, by the graph version it analysed."""
    runs: list[int | None] = []
    real = pipeline.analyse

    def analyse(snapshot: Any, graph_version: int | None = None, **kwargs: Any) -> Any:
        runs.append(graph_version)
        return real(snapshot, graph_version, **kwargs)

    monkeypatch.setattr(pipeline, "analyse", analyse)
    return runs


def upload(service: Service, path: Path, **form: str) -> Any:
    with path.open("rb") as f:
        return service.client.post(
            "/api/imports",
            headers=service.headers(Role.ADMIN),
            files={"file": (path.name, f, "text/csv")},
            data={"kind": "members", **form},
        )


def test_after_an_import_answers_come_from_the_last_analysis_while_one_refresh_runs(
    service: Service, held_refresh: tuple[threading.Event, list[int]]
) -> None:
    gate, built = held_refresh
    before = service.get("/api/analysis", Role.ADMIN).json()
    assert before["freshness"]["stale"] is False

    imported = upload(service, FIXTURES / "members_2024.csv")
    assert imported.status_code == 201, imported.text
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _: service.get("/api/analysis", Role.ADMIN), range(24)))
    assert {a.status_code for a in answers} == {200}
    for answer in answers:
        body = answer.json()
        assert body["people"] == before["people"]
        assert body["freshness"]["stale"] and body["freshness"]["refreshing"]
        assert body["freshness"]["graph_version"] > body["freshness"]["answered_version"]
        assert "refreshing" in body["freshness"]["message"]
    eventually(lambda: len(built) >= 1)  # the refresh reads the store before it builds
    time.sleep(0.5)
    assert len(built) == 1, "however many requests came, one refresh ran"
    assert service.get("/api/people", Role.ADMIN, q="amina yusuf").json()["total"] == 0

    gate.set()
    service.network.wait_until_current(timeout=120)
    after = service.get("/api/analysis", Role.ADMIN).json()
    assert after["freshness"]["stale"] is False and after["people"] > before["people"]
    assert service.get("/api/people", Role.ADMIN, q="amina yusuf").json()["total"] == 1


def test_pages_say_when_their_figures_are_being_refreshed(
    service: Service, held_refresh: tuple[threading.Event, list[int]]
) -> None:
    gate, _ = held_refresh
    signed = service.client.post(
        "/sign-in", data={"email": service.email(Role.ADMIN), "password": PASSWORD}
    )
    assert signed.status_code == 200, signed.text
    page = service.client.get("/explore")
    assert page.status_code == 200 and "refreshing" not in page.text
    assert upload(service, FIXTURES / "members_2024.csv").status_code == 201
    page = service.client.get("/explore")
    assert page.status_code == 200
    assert "Figures updated just now; refreshing" in page.text
    gate.set()
    service.network.wait_until_current(timeout=120)
    assert "refreshing" not in service.client.get("/explore").text


def test_consent_withdrawn_by_an_import_takes_effect_before_the_refresh(
    service: Service, held_refresh: tuple[threading.Event, list[int]], tmp_path: Path
) -> None:
    gate, _ = held_refresh
    gate.set()
    assert upload(service, FIXTURES / "members_2024.csv").status_code == 201
    service.network.wait_until_current(timeout=120)
    found = service.get("/api/people", Role.MEMBER, q="amina yusuf").json()
    assert found["total"] == 1
    amina = found["items"][0]["id"]
    assert service.get(f"/api/people/{amina}", Role.MEMBER).status_code == 200

    gate.clear()
    withdrawn = tmp_path / "consent.csv"
    withdrawn.write_text(
        "First name,Last name,Email,Consent\nAmina,Yusuf,amina@grapevine.example,No\n"
    )
    assert upload(service, withdrawn).status_code == 201
    assert service.get("/api/freshness", Role.MEMBER).json()["stale"] is True
    assert service.get("/api/people", Role.MEMBER, q="amina yusuf").json()["total"] == 0
    assert service.get(f"/api/people/{amina}", Role.MEMBER).status_code == 404
    assert amina not in service.get("/api/map", Role.MEMBER).text
    gate.set()
    service.network.wait_until_current(timeout=120)
    assert service.get("/api/people", Role.MEMBER, q="amina yusuf").json()["total"] == 0


def load(store: GraphStore, records: NetworkRecords) -> None:
    store.upsert_nodes(records.nodes())
    store.upsert_relationships(records.relationships())


@pytest.fixture
def accounts(tmp_path: Path) -> Iterator[AccountStore]:
    with open_accounts(tmp_path / "accounts.sqlite") as opened:
        yield opened


def test_a_restarted_service_answers_at_once_from_the_saved_analysis(
    store: GraphStore,
    small_network: NetworkRecords,
    accounts: AccountStore,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    load(store, small_network)
    saved = tmp_path / "state" / "analysis.pickle"
    with Network(store, accounts, saved=saved) as first:
        computed = first.analysis()
        eventually(saved.exists)
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert stat.S_IMODE(saved.parent.stat().st_mode) == 0o700

    runs = counted_analyses(monkeypatch)
    reads: list[int] = []
    real_network = store.network
    monkeypatch.setattr(store, "network", lambda: reads.append(1) or real_network())
    with Network(store, accounts, saved=saved) as second:
        current = second.current()
        again = second.analysis(current)
    assert not current.freshness.stale
    assert runs == [] and reads == [], "nothing was read or computed again"
    assert again.to_json() == computed.to_json()


def test_a_saved_analysis_older_than_the_store_serves_while_it_refreshes(
    store: GraphStore,
    small_network: NetworkRecords,
    accounts: AccountStore,
    tmp_path: Path,
    held_refresh: tuple[threading.Event, list[int]],
) -> None:
    gate, built = held_refresh
    load(store, small_network)
    saved = tmp_path / "analysis.pickle"
    with Network(store, accounts, saved=saved) as first:
        people = first.analysis().people
        eventually(saved.exists)
    # A change made while the service was down (for example by a command).
    with Network(store, accounts, background=False) as command:
        command.import_file(FIXTURES / "members_2024.csv", ImportOptions(kind="members"))
    with Network(store, accounts, saved=saved) as restarted:
        current = restarted.current()
        assert current.freshness.stale and restarted.analysis(current).people == people
        eventually(lambda: len(built) == 1)
        gate.set()
        assert restarted.wait_until_current(timeout=120).generation.analysis().people > people


def test_erasure_drops_every_cache_here_on_disk_and_in_another_service(
    store: GraphStore, small_network: NetworkRecords, accounts: AccountStore, tmp_path: Path
) -> None:
    load(store, small_network)
    saved = tmp_path / "analysis.pickle"
    person = sorted(n.id for n in small_network.nodes() if n.KIND == "Person")[0]
    with (
        Network(store, accounts, saved=saved) as service,
        Network(store, accounts) as elsewhere,
    ):
        service.analysis()
        eventually(saved.exists)
        assert person in elsewhere.current().view.profile.people
        assert service.erase_person(person)
        assert not saved.exists()
        for network in (service, elsewhere):
            current = network.current()
            assert person not in current.view.profile.people
            assert person not in network.analysis(current).constellations.membership


def test_a_saved_analysis_is_read_only_for_the_store_and_version_that_wrote_it(
    store: GraphStore, small_network: NetworkRecords, accounts: AccountStore, tmp_path: Path
) -> None:
    load(store, small_network)
    saved = tmp_path / "analysis.pickle"
    with Network(store, accounts, saved=saved) as network:
        network.analysis()
        eventually(saved.exists)
    assert SavedGeneration(saved, store_identity(store)).load() is not None
    other = tmp_path / "other.pickle"
    shutil.copy(saved, other)
    assert SavedGeneration(other, "another store").load() is None
    other.write_bytes(b"not a pickle at all")
    assert SavedGeneration(other, store_identity(store)).load() is None
    assert not other.exists(), "an unreadable file is removed, to be written anew"


def test_every_change_of_the_api_goes_through_the_layer_and_moves_what_is_served(
    service: Service, tmp_path: Path
) -> None:
    """Import options that once worked on the CLI only now work through the API."""
    path = tmp_path / "members.csv"
    path.write_text(
        "Member,Contact,Joined\nAda Lovelace,ada@example.org,03/04/2023\nBad Row,not-an-email,\n"
    )
    mapping = b'[columns]\nname = "Member"\nemail = "Contact"\njoined = "Joined"\n'
    with path.open("rb") as f:
        answer = service.client.post(
            "/api/imports",
            headers=service.headers(Role.ADMIN),
            files={"file": (path.name, f, "text/csv"), "mapping": ("map.toml", mapping)},
            data={
                "kind": "members",
                "skip_bad_rows": "true",
                "date_order": "day-first",
                "as_of": "2024-05-01",
            },
        )
    assert answer.status_code == 201, answer.text
    report = answer.json()["report"]
    assert report["written"] and [p["row"] for p in report["rejected"]] == [3]
    service.network.wait_until_current(timeout=120)
    found = service.get("/api/people", Role.ADMIN, q="ada lovelace").json()["items"]
    ada = service.get(f"/api/people/{found[0]['id']}", Role.ADMIN).json()
    assert ada["joined"] == "2023-04-03" and ada["email"] == "ada@example.org"
    assert service.store.person(ada["id"])["last_seen"] == "2024-05-01"  # type: ignore[index]


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"kind": "members", "date": "2024-01-01"}, "date: date is read for attendance files only"),
        ({"kind": "attendance", "date": "03/04/2024"}, "date must be a date written YYYY-MM-DD"),
        ({"kind": "members", "as_of": "yesterday"}, "as_of must be a date written YYYY-MM-DD"),
        ({"kind": "attendance", "as_of": "2024-01-01"}, "read for members files only"),
        ({"kind": "members", "event": "auto"}, "event is read for attendance files only"),
    ],
)
def test_a_bad_import_option_is_named_and_nothing_is_written(
    service: Service, form: dict[str, str], message: str
) -> None:
    version = service.store.version()
    with (FIXTURES / "attendance_roundtable.csv").open("rb") as f:
        answer = service.client.post(
            "/api/imports",
            headers=service.headers(Role.ADMIN),
            files={"file": ("a.csv", f, "text/csv")},
            data=form,
        )
    assert answer.status_code == 422
    assert message in answer.json()["error"]["message"]
    assert service.store.version() == version


def test_an_unexpected_failure_logs_its_route_and_traceback_but_no_personal_data(
    service: Service, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        secret = "ada@example.org"
        raise RuntimeError(f"secret detail about {secret}")

    monkeypatch.setattr(NetworkView, "find_people", broken)
    with caplog.at_level("ERROR", logger="graphsvc.api"):
        response = service.get("/api/people", Role.MEMBER, q="ada lovelace")
    assert response.status_code == 500
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "GET /api/people" in logged and "RuntimeError" in logged
    assert "in broken" in logged and "find_people" in logged, "the traceback's frames"
    assert "ada@example.org" not in logged and "lovelace" not in logged


def test_a_large_network_is_refreshed_by_a_process_of_its_own(
    store: GraphStore,
    small_network: NetworkRecords,
    accounts: AccountStore,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Its heaviest steps hold Python's lock for seconds: not in the service's process."""
    monkeypatch.setattr(refresh, "IN_A_PROCESS_FROM", 0)
    in_a_process: list[int] = []
    real = refresh.start_child

    def counted(address: Any, version: int, *rest: Any) -> Any:
        in_a_process.append(version)
        return real(address, version, *rest)

    monkeypatch.setattr(refresh, "start_child", counted)
    load(store, small_network)
    saved = tmp_path / "analysis.pickle"
    with Network(store, accounts, saved=saved) as network:
        first = network.current().generation
        first.positions()  # the map was asked for: the next generation lays it out too
        network.import_file(FIXTURES / "members_2024.csv", ImportOptions(kind="members"))
        current = network.wait_until_current(timeout=300)
        assert in_a_process == [store.version()]
        assert current.generation is not first and current.generation.has_layout
        assert "Amina Yusuf" in {p.name for p in current.view.profile.people.values()}
        kept = SavedGeneration(saved, store_identity(store)).load()
        assert kept is not None and kept.version == store.version()
    assert not list(tmp_path.glob(".analysis.pickle.*")), "nothing half-written is left"


def test_an_analysis_begun_before_an_erasure_elsewhere_is_never_saved(
    store: GraphStore, small_network: NetworkRecords, accounts: AccountStore, tmp_path: Path
) -> None:
    load(store, small_network)
    saved = tmp_path / "analysis.pickle"
    person = sorted(n.id for n in small_network.nodes() if n.KIND == "Person")[3]
    with Network(store, accounts, saved=saved) as service, Network(store, accounts) as command:
        before = service.current()  # a view with the person in it, not yet analysed
        assert command.erase_person(person)
        service.analysis(before)  # finished after the erasure: it holds the person
        time.sleep(2)  # long enough for the save it starts
        assert not saved.exists()
        assert not list(tmp_path.glob(".analysis.pickle.*"))
        assert person not in service.current().view.profile.people


def test_a_saved_analysis_is_not_served_from_a_store_that_has_gone_back(
    store: GraphStore, small_network: NetworkRecords, accounts: AccountStore, tmp_path: Path
) -> None:
    """A store wiped below the service (its files deleted, another database at the
    same address) holds none of what the saved analysis names."""
    load(store, small_network)
    saved = tmp_path / "analysis.pickle"
    with Network(store, accounts, saved=saved) as network:
        network.analysis()
        eventually(saved.exists)
    store.runner.clear()  # the graph and its version gone, as if wiped by hand
    store.runner.ensure_schema()
    with Network(store, accounts, saved=saved) as restarted:
        current = restarted.current()
        assert current.view.profile.people == {} and not current.freshness.stale


def test_withdrawn_consent_removes_someone_from_suggestions_even_to_admins(
    service: Service, small_network: NetworkRecords
) -> None:
    suggested = service.get("/api/introductions", Role.ADMIN, limit=200).json()["items"]
    assert suggested
    person = suggested[0]["a"]["id"]
    record = next(n for n in small_network.nodes() if n.id == person)
    service.store.upsert_nodes([record.model_copy(update={"visibility": Visibility.HIDDEN})])
    everyone = [
        service.get("/api/introductions", Role.ADMIN, limit=200).text,
        service.get("/api/introductions", Role.CONNECTOR, limit=200).text,
        service.get(f"/api/people/{suggested[0]['b']['id']}/introductions", Role.ADMIN).text,
    ]
    assert all(f'"{person}"' not in answer for answer in everyone)


# A second export naming one known person with a new email, one new person and a bad row.
AGAIN = (
    "Name,Email,Organisation,Town\n"
    "Tom Reid,tom.reid@newjob.example,Leeds City Council,Leeds\n"
    "Nadia Preview,nadia@preview.example,Acme Ltd,York\n"
    "Bad row,not-an-email,,\n"
)


def test_previewing_an_import_writes_nothing_and_says_row_by_row_what_it_would_do(
    store: GraphStore, accounts: AccountStore, tmp_path: Path
) -> None:
    again = tmp_path / "again.csv"
    again.write_text(AGAIN)
    with Network(store, accounts, background=False) as network:
        network.import_file(
            FIXTURES / "members_2024.csv", ImportOptions(kind="members", date_order="day-first")
        )
        before, state, kept = store.counts(), store.state(), accounts.count_import_reports()
        preview = network.preview_import(again, ImportOptions(kind="members", skip_bad_rows=True))
        assert store.counts() == before and store.state() == state
        assert accounts.count_import_reports() == kept and store.import_journals() == []

    assert preview.would_write
    [created] = preview.created
    assert (created.row, created.name, created.email) == (
        3,
        "Nadia Preview",
        "nadia@preview.example",
    )
    [matched] = preview.matched
    assert (matched.row, matched.name, matched.reason) == (
        2,
        "Tom Reid",
        "same name and organisation",
    )
    [changed] = preview.changed
    assert changed.person == matched.person
    assert [(c.field, c.old, c.new) for c in changed.changes] == [
        ("email", "tom.reid@leeds.example", "tom.reid@newjob.example")
    ]
    assert [(p.row, p.reason) for p in preview.skipped] == [
        (4, "the email (column 'Email') is not an email address")
    ]
    assert preview.new_nodes["Organisation"] == 1


def test_a_preview_of_an_import_with_bad_rows_says_it_would_write_nothing(
    store: GraphStore, accounts: AccountStore, tmp_path: Path
) -> None:
    again = tmp_path / "again.csv"
    again.write_text(AGAIN)
    with Network(store, accounts, background=False) as network:
        preview = network.preview_import(again, ImportOptions(kind="members"))
    assert not preview.would_write
    assert len(preview.created) == 2 and any("Nothing would be written" in n for n in preview.notes)


def test_an_import_report_names_who_it_created_matched_and_changed(
    store: GraphStore, accounts: AccountStore, tmp_path: Path
) -> None:
    again = tmp_path / "again.csv"
    again.write_text(AGAIN)
    with Network(store, accounts, background=False) as network:
        network.import_file(
            FIXTURES / "members_2024.csv", ImportOptions(kind="members", date_order="day-first")
        )
        done = network.import_file(again, ImportOptions(kind="members", skip_bad_rows=True))
        names = network.people_in_report(done.report)
    [added] = done.report["added"]
    [merge] = done.report["merges"]
    [changed] = done.report["changed"]
    assert added["row"] == 3 and names[added["person"]] == "Nadia Preview"
    assert merge["row"] == 2 and names[merge["person"]] == "Tom Reid"
    assert (changed["person"], changed["fields"]) == (merge["person"], ["email"])
    # The kept report names fields, never their values.
    assert "newjob" not in json.dumps(done.report)


def test_erasing_someone_an_import_created_or_changed_takes_them_out_of_its_report(
    store: GraphStore, accounts: AccountStore, tmp_path: Path
) -> None:
    again = tmp_path / "again.csv"
    again.write_text(AGAIN)
    with Network(store, accounts, background=False) as network:
        network.import_file(
            FIXTURES / "members_2024.csv", ImportOptions(kind="members", date_order="day-first")
        )
        done = network.import_file(again, ImportOptions(kind="members", skip_bad_rows=True))
        [changed] = done.report["changed"]
        [added] = done.report["added"]
        assert network.erase_person(changed["person"]) and network.erase_person(added["person"])
    kept = accounts.import_report(done.id)
    assert kept is not None
    text = json.dumps(kept[2])
    assert changed["person"] not in text and added["person"] not in text
