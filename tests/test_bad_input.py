"""Bad input gets a clear 4xx or one line, never a server error, a traceback or its own
value back; and erasing a person takes the rows an import rejected about them too."""

import csv
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from api_service import PASSWORD, Service

from graphsvc.access import Role
from graphsvc.accounts import open_accounts
from graphsvc.analysis import collaboration_graph, suggest_introductions
from graphsvc.errors import ImportFileError
from graphsvc.service import ImportOptions, Network
from graphsvc.service.imports import import_attendance, import_members
from graphsvc.store import GraphStore
from graphsvc.synthetic import NetworkRecords
from importers.attendance import read_attendance
from importers.membership import read_members
from importers.report import erasure_keys

NEARLY_TOO_LONG = 290  # names may have 300 characters; ids and sources 200 and 300
MAX_BYTES = 2**20


def _csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    return path


def _long(prefix: str, length: int = NEARLY_TOO_LONG) -> str:
    return (prefix + " " + "abcdefghij" * 40)[:length]


def _graphsvc(*args: str | bytes, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "graphsvc", *args],
        capture_output=True,
        cwd=cwd,
        env={**os.environ, "COLUMNS": "200"},
        check=False,
    )


@pytest.fixture
def network(store: GraphStore, tmp_path: Path) -> Iterator[Network]:
    """The application layer over an empty store and an account file of its own."""
    accounts = open_accounts(tmp_path / "accounts.sqlite")
    with Network(store, accounts, background=False) as layer:
        yield layer
    accounts.close()


# -- ids and fields the database cannot take -------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/people/%00/export"),
        ("DELETE", "/api/people/%00"),
        ("GET", "/api/people/person:%00"),
        ("GET", "/api/people/a%00b/neighbourhood"),
    ],
)
def test_a_nul_in_a_person_id_is_a_422_naming_the_id(
    service: Service, method: str, path: str
) -> None:
    response = service.client.request(method, path, headers=service.headers(Role.ADMIN))
    assert response.status_code == 422, response.text
    (detail,) = response.json()["error"]["details"]
    assert detail["loc"] == ["path", "person_id"] and "NUL" in detail["msg"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("email", "ada\x00@example.org"),
        ("email", "ada\n@example.org"),
        ("person_id", "person:\x00"),
    ],
)
def test_a_new_user_with_a_nul_or_a_line_break_in_a_field_is_refused_by_name(
    service: Service, field: str, value: str
) -> None:
    before = len(service.accounts.users())
    body = {"email": "ada@example.org", "role": "member", "password": PASSWORD, field: value}
    response = service.client.post("/api/users", headers=service.headers(Role.ADMIN), json=body)
    assert response.status_code == 422, response.text
    message = response.json()["error"]["message"]
    assert message.startswith(f"{field}:") and "ada" not in message
    assert len(service.accounts.users()) == before


def test_every_person_gets_a_connectors_introductions_or_none_never_a_failure(
    service: Service, small_network: NetworkRecords
) -> None:
    people = [n.id for n in small_network.nodes() if n.KIND == "Person"]
    statuses = {
        person: service.get(f"/api/connectors/{person}/introductions", Role.ADMIN).status_code
        for person in people
    }
    assert set(statuses.values()) == {200}, {p: s for p, s in statuses.items() if s != 200}


def test_a_connector_with_one_contact_has_no_introductions_to_make(
    store: GraphStore, small_network: NetworkRecords
) -> None:
    store.upsert_nodes(small_network.nodes())
    store.upsert_relationships(small_network.relationships())
    G = collaboration_graph(store.network())
    lonely = [person for person in G if G.degree(person) == 1]
    assert lonely, "the synthetic network has people with a single contact"
    assert all(suggest_introductions(G, for_connector=person) == [] for person in lonely)


# -- long names -----------------------------------------------------------------------------


def test_a_membership_file_with_names_just_under_the_limit_imports(
    store: GraphStore, tmp_path: Path
) -> None:
    cell, interest, organisation = _long("Cell"), _long("Interest"), _long("Organisation")
    path = _csv(
        tmp_path / "members.csv",
        [
            ["Name", "Email", "Organisation", "Cells", "Interests"],
            ["Ada Lovelace", "ada@example.org", organisation, cell, interest],
            # Begins as the other does: another cell, not the same one.
            ["Bob Smith", "bob@example.org", organisation, cell[:-1] + "z", interest],
        ],
    )
    report = import_members(store, path)
    assert report.written and not report.rejected, report
    names = {d.get("name") for _, d in store.snapshot().nodes(data=True)}
    assert {cell, cell[:-1] + "z", interest, organisation} <= names
    assert all(len(n) <= 200 for n in store.snapshot().nodes)


def test_an_attendance_file_with_an_event_name_just_under_the_limit_imports(
    store: GraphStore, tmp_path: Path
) -> None:
    event = _long("Gathering")
    path = _csv(
        tmp_path / "attendance.csv",
        [["Name", "Event", "Date"], ["Ada Lovelace", event, "2024-03-01"]],
    )
    report = import_attendance(store, path)
    assert report.written and not report.rejected, report
    assert event in {d.get("name") for _, d in store.snapshot().nodes(data=True)}


def test_a_file_whose_name_is_as_long_as_a_file_name_may_be_imports(
    store: GraphStore, tmp_path: Path
) -> None:
    path = _csv(tmp_path / ("m" * 251 + ".csv"), [["Name"], ["Ada Lovelace"]])
    report = import_members(store, path)
    assert report.written and report.source.startswith("import:mmm")


def test_the_command_imports_long_names_and_never_prints_a_traceback(tmp_path: Path) -> None:
    cell = _long("Cell")
    path = _csv(tmp_path / "members.csv", [["Name", "Cells"], ["Ada Lovelace", cell]])
    done = _graphsvc("import", "members", str(path), "--store", str(tmp_path / "s"), cwd=tmp_path)
    out = (done.stdout + done.stderr).decode()
    assert done.returncode == 0, out
    assert "Traceback" not in out and cell not in out


def test_an_unexpected_failure_in_the_command_is_one_line_without_the_value(
    tmp_path: Path,
) -> None:
    # Bytes that are not UTF-8 reach Python as half of a UTF-16 pair, which the
    # store cannot encode: a failure no message was written for.
    done = _graphsvc(
        "person", "export", b"person:zz\xff", "--store", str(tmp_path / "s"), cwd=tmp_path
    )
    out = (done.stdout + done.stderr).decode(errors="replace")
    assert done.returncode == 3, out
    assert "Traceback" not in out and "person:zz" not in out
    assert out.strip().count("\n") == 0 and out.startswith("Error: unexpected ")
    assert "report this line" in out


# -- NUL bytes in files ---------------------------------------------------------------------


def test_a_nul_byte_far_into_a_file_is_refused_not_sent_to_the_database(
    store: GraphStore, tmp_path: Path
) -> None:
    rows = "".join(f"Person {n:05d},p{n}@example.org\n" for n in range(3000))
    path = tmp_path / "late-nul.csv"
    path.write_text("Name,Email\n" + rows + "Ada\x00 Lovelace,ada@example.org\n")
    assert path.stat().st_size > 64 * 2**10
    version = store.version()
    with pytest.raises(ImportFileError, match="binary data"):
        import_members(store, path)
    assert store.version() == version


# -- rejected rows: reasons without values, erased with the person --------------------------


@pytest.mark.parametrize(
    ("kind", "rows", "value"),
    [
        ("members", [["Name", "Email"], ["Ada Lovelace", "ada@exmaple"]], "exmaple"),
        ("members", [["Name", "Joined"], ["Ada Lovelace", "31/02/2024"]], "31/02"),
        ("members", [["Name", "Joined"], ["Ada Lovelace", "3/4/24"]], "3/4"),
        ("members", [["Name", "Joined"], ["Ada Lovelace", "03/04/2024"]], "03/04"),
        ("members", [["Name", "Joined"], ["Ada Lovelace", "soon-ish"]], "soon"),
        ("members", [["Name", "Town"], ["Ada Lovelace", "=HYPERLINK(1)"]], "HYPERLINK"),
        (
            "attendance",
            [["Name", "Email", "Event", "Date"], ["Ada", "ada@exmaple", "Talk", "2024-03-01"]],
            "exmaple",
        ),
        (
            "attendance",
            [["Name", "Event", "Date"], ["+44 20 7946 0000", "Talk", "2024-03-01"]],
            "7946",
        ),
        (
            "attendance",
            [["Name", "Event", "Date", "Role"], ["Ada", "Talk", "2024-03-01", "juggler"]],
            "juggler",
        ),
    ],
)
def test_a_rejected_rows_reason_names_the_field_never_what_it_holds(
    tmp_path: Path, kind: str, rows: list[list[str]], value: str
) -> None:
    path = _csv(tmp_path / f"{kind}.csv", rows)
    read = read_members(path, MAX_BYTES) if kind == "members" else read_attendance(path, MAX_BYTES)
    (problem,) = read.problems
    assert problem.row == 2 and problem.reason
    assert value not in problem.reason, problem.reason


def test_a_file_with_no_good_row_is_a_422_naming_rows_and_columns_not_values(
    service: Service,
) -> None:
    upload = b"Name,E-mail address\nAda Lovelace,ada@exmaple\nBob Smith,bob@exmaple\n"
    response = service.client.post(
        "/api/imports",
        headers=service.headers(Role.ADMIN),
        files={"file": ("members.csv", io.BytesIO(upload), "text/csv")},
        data={"kind": "members"},
    )
    assert response.status_code == 422, response.text
    message = response.json()["error"]["message"]
    assert "row 2" in message and "E-mail address" in message
    assert "exmaple" not in message and "Ada" not in message


def _accounts_file_holds(path: Path, text: str) -> bool:
    """Whether the account file, or what SQLite keeps beside it, holds ``text``."""
    return any(
        text.encode() in part.read_bytes()
        for part in path.parent.iterdir()
        if part.name.startswith(path.name)
    )


def test_erasing_a_person_takes_the_rows_rejected_about_them_out_of_import_reports(
    network: Network, tmp_path: Path
) -> None:
    first = _csv(
        tmp_path / "first.csv",
        [
            ["Name", "Email"],
            ["Ada Lovelace", "ada@example.org"],
            ["Ada Lovelace", "ada@exmaple"],  # mistyped: rejected
            ["Bob Smith", "bob@exmaple"],  # someone else's row: kept
        ],
    )
    # A file that is all bad is refused and not kept; one with a bad row is kept, unwritten.
    all_bad = _csv(tmp_path / "all-bad.csv", [["Name", "Email"], ["Dr Ada  LOVELACE", "ada@exmpl"]])
    done = network.import_file(first, ImportOptions(kind="members", skip_bad_rows=True))
    with pytest.raises(ImportFileError):
        network.import_file(all_bad, ImportOptions(kind="members"))
    refused = network.import_file(
        _csv(
            tmp_path / "again.csv",
            [
                ["Name", "Email"],
                ["Carol Jones", "carol@example.org"],
                ["ADA LOVELACE", "ada@exmpl"],
            ],
        ),
        ImportOptions(kind="members"),
    )
    assert done.written and not refused.written
    assert [p["row"] for p in done.report["rejected"]] == [3, 4]
    shown = json.dumps([report for _, _, report in network.accounts.import_reports()])
    assert "exmaple" not in shown and "exmpl" not in shown and "erasure_keys" not in shown
    (ada,) = [p["id"] for p in network.store.search_people("Ada Lovelace")]

    assert network.erase_person(ada)

    reports = {i: report for i, _, report in network.accounts.import_reports()}
    assert [p["row"] for p in reports[done.id]["rejected"]] == [4]  # Bob's stays
    assert reports[refused.id]["rejected"] == []
    name_digest = erasure_keys("Ada Lovelace", None)[0]
    for text in ("exmaple", "exmpl", name_digest):
        assert not _accounts_file_holds(tmp_path / "accounts.sqlite", text), text
