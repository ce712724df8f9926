"""A corpus of malformed files: each is refused with a clear message and writes nothing."""

import io
import os
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from graphsvc.errors import ImportFileError
from graphsvc.service.imports import import_attendance, import_members
from graphsvc.store import GraphStore

GOOD = "Name,Email\nAda Lovelace,ada@example.org\n"


def _xlsx(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)  # type: ignore[union-attr]
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (200 * 2**20))
    return buffer.getvalue()


# Whole-file problems: refused outright (ImportFileError, exit code 2).
REFUSED: dict[str, Callable[[], bytes]] = {
    "empty.csv": lambda: b"",
    "blank-lines.csv": lambda: b"\n\n   \n",
    "spaces.csv": lambda: b"    ",
    "nul-bytes.csv": lambda: b"Name,Email\n\x00\x00\x00Ada,ada@x.org\n",
    "random-bytes.csv": lambda: bytes(range(256)) * 40,
    "png-renamed.csv": lambda: b"\x89PNG\r\n\x1a\n" + b"\x00\x01\x02" * 500,
    "pdf-renamed.csv": lambda: b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\x00\x00<<>>",
    "control-chars.csv": lambda: b"Name,Email\n" + b"\x01\x02\x03\x04\x05\x06\x07\x08" * 50,
    "undefined-cp1252.csv": lambda: b"Name,Email\nAda \x81\x8d\x8f\x90\x9d,ada@x.org\n",
    "duplicate-headers.csv": lambda: b"Name,Email,Email\nAda,a@x.org,b@x.org\n",
    "duplicate-headers-case.csv": lambda: b"Name,EMAIL,email\nAda,a@x.org,b@x.org\n",
    "duplicate-headers-spacing.csv": lambda: b"Name,E-mail,E mail\nAda,a@x.org,b@x.org\n",
    "duplicate-name.csv": lambda: b"Name,Name\nAda,Ada\n",
    "missing-heading-middle.csv": lambda: b"Name,,Email\nAda,x,a@x.org\n",
    "missing-heading-first.csv": lambda: b",Name\n1,Ada\n",
    "no-name-column.csv": lambda: b"Email,Organisation\na@x.org,Acme\n",
    "only-first-name.csv": lambda: b"First name,Email\nAda,a@x.org\n",
    "header-only.csv": lambda: b"Name,Email\n",
    "header-only-blank-rows.csv": lambda: b"Name,Email\n,\n , \n",
    "all-rows-bad.csv": lambda: b"Name,Email\n,a@x.org\n,b@x.org\n",
    "all-rows-formulas.csv": lambda: b'Name,Email\n=HYPERLINK("http://x"),a@x.org\n',
    "all-names-missing.csv": lambda: b"First name,Last name,Email\n,,a@x.org\n",
    "mixed-date-orders.csv": lambda: b"Name,Joined\nAda,25/12/2024\nBob,12/25/2024\n",
    "semicolon-no-name.csv": lambda: b"Email;Town\na@x.org;Leeds\n",
    "tab-no-name.csv": lambda: b"Email\tTown\na@x.org\tLeeds\n",
    "utf16-no-name.csv": lambda: "Email,Town\na@x.org,Leeds\n".encode("utf-16"),
    "json-renamed.csv": lambda: b'{"name": "Ada", "email": "ada@x.org"}',
    "html-renamed.csv": lambda: b"<html><body><table><tr><td>Ada</td></tr></table></body></html>",
    "one-column-junk.csv": lambda: b"lorem ipsum\ndolor sit amet\n",
    "zip-bomb.xlsx": _zip_bomb,
    "truncated.xlsx": lambda: _xlsx([["Name"], ["Ada"]])[:300],
    "not-really.xlsx": lambda: b"Name,Email\nAda,ada@x.org\n",
    "zip-without-workbook.xlsx": lambda: _zip_of({"hello.txt": b"hi"}),
    "xlsx-duplicate-headers.xlsx": lambda: _xlsx([["Name", "name"], ["Ada", "Ada"]]),
    "xlsx-missing-heading.xlsx": lambda: _xlsx([["Name", None, "Email"], ["Ada", "x", "a@x.org"]]),
    "xlsx-empty.xlsx": lambda: _xlsx([]),
    "xlsx-no-name-column.xlsx": lambda: _xlsx([["Email"], ["a@x.org"]]),
    "xlsx-only-formulas.xlsx": lambda: _xlsx([["Name", "Email"], ["=1+1", "a@x.org"]]),
    "xlsx-header-only.xlsx": lambda: _xlsx([["Name", "Email"]]),
    "oversized.csv": lambda: GOOD.encode() + b"Ada Lovelace,ada@example.org\n" * 80_000,
    "zip-renamed.csv": lambda: _zip_of({"a.csv": GOOD.encode()}),
    "gzip-renamed.csv": lambda: b"\x1f\x8b\x08\x00" + bytes(range(200)) * 10,
}

# Row problems: reported row by row; nothing is written without --skip-bad-rows.
ROWS_REFUSED: dict[str, bytes] = {
    "bad-email.csv": GOOD.encode() + b"Bob,not-an-email\n",
    "missing-name.csv": GOOD.encode() + b",bob@x.org\n",
    "formula.csv": GOOD.encode() + b'=HYPERLINK("http://evil"),bob@x.org\n',
    "formula-in-email.csv": GOOD.encode() + b"Bob,=1+1\n",
    "too-many-cells.csv": GOOD.encode() + b"Bob,bob@x.org,extra,cells\n",
    "ambiguous-date.csv": b"Name,Joined\nAda,03/04/2024\nBob,2024-01-01\n",
    "impossible-date.csv": b"Name,Joined\nAda,2024-02-31\nBob,2024-01-01\n",
    "not-a-date.csv": b"Name,Joined\nAda,last spring\nBob,2024-01-01\n",
    "two-digit-year.csv": b"Name,Joined\nAda,3/4/24\nBob,2024-01-01\n",
    "very-long-name.csv": b"Name,Email\n" + b"A" * 400 + b",a@x.org\nAda,ada@x.org\n",
    "very-long-job-title.csv": b"Name,Job title\nAda,Analyst\nBob," + b"x" * 400 + b"\n",
    "very-long-phone.csv": b"Name,Phone\nAda,0113 496 0000\nBob," + b"1" * 60 + b"\n",
    "xlsx-formula-row.xlsx": _xlsx([["Name", "Email"], ["Ada", "ada@x.org"], ["=A2", "b@x.org"]]),
}


ZOOM_MEETING = (
    b"Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants\n"
    b"812 3456 7890,Cell,03/04/2025 09:58:12 AM,03/04/2025 11:31:40 AM,h@x.org,94,2\n"
)
ZOOM_TABLE = b"\nName (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\n"
EVENTBRITE = (
    b"Order #,Order Date,First Name,Last Name,Email,Quantity,Ticket Type,Attendee #,"
    b"Attendee Status,Company,Event Name,Event Date\n"
)
# Attendance files refused outright, on top of every file in REFUSED.
ATTENDANCE_REFUSED: dict[str, Callable[[], bytes]] = {
    "zoom-meeting-only.csv": lambda: ZOOM_MEETING,
    "zoom-all-dial-in.csv": lambda: (
        ZOOM_MEETING
        + ZOOM_TABLE
        + b"+44 20 7946 0000,,03/04/2025 10:05:00 AM,03/04/2025 10:35:00 AM,30,Yes\n"
    ),
    "zoom-duplicate-headers.csv": lambda: (
        ZOOM_MEETING + b"\nName,Name,Join Time\nAda,Ada,03/04/2025 10:05:00 AM\n"
    ),
    "eventbrite-all-refunded.csv": lambda: (
        EVENTBRITE
        + b"1,2025-01-01,Ada,Lovelace,a@x.org,1,Free,11,Refunded,Acme,Gathering,2025-03-12\n"
    ),
    "eventbrite-mixed-date-orders.csv": lambda: (
        EVENTBRITE
        + b"1,2025-01-01,Ada,Lovelace,a@x.org,1,Free,11,Attending,Acme,Gathering,25/12/2024\n"
        + b"2,2025-01-01,Bob,Smith,b@x.org,1,Free,12,Attending,Acme,Gathering,12/25/2024\n"
    ),
    "text-no-participants.txt": lambda: b"Annual Gathering 2025\nNotes\nThanks all\n",
    "text-no-event.txt": lambda: b"Participants\nAda Lovelace, Analytical Engines\n",
    "text-binary.txt": lambda: bytes(range(256)) * 40,
    "text-empty.txt": lambda: b"",
    "text-only-apologies.txt": lambda: b"Gathering, 12 March 2025\nApologies\nAda Lovelace, Acme\n",
}
# Attendance files with bad rows: reported, nothing written without --skip-bad-rows.
ATTENDANCE_ROWS_REFUSED: dict[str, bytes] = {
    "unknown-role.csv": b"Name,Event,Date,Role\nAda,Cell,2025-01-02,\n"
    b"Bob,Cell,2025-01-02,juggler\n",
    "attendee-bad-email.csv": b"Name,Email,Event,Date\nAda,a@x.org,Cell,2025-01-02\n"
    b"Bob,bob-at-x,Cell,2025-01-02\n",
    "attendee-ambiguous-date.csv": b"Name,Event,Date\nAda,Cell,2025-01-02\nBob,Cell,03/04/2025\n",
    "attendee-no-event.csv": b"Name,Event,Date\nAda,Cell,2025-01-02\nBob,,2025-01-02\n",
    "attendee-not-a-name.csv": b"Name,Event,Date\nAda,Cell,2025-01-02\n12345,Cell,2025-01-02\n",
    "eventbrite-formula.csv": EVENTBRITE
    + b"1,2025-01-01,Ada,Lovelace,a@x.org,1,Free,11,Attending,Acme,Gathering,2025-03-12\n"
    + b"2,2025-01-01,=cmd,Smith,b@x.org,1,Free,12,Attending,Acme,Gathering,2025-03-12\n",
    "attendee-very-long-organisation.csv": b"Name,Organisation,Event,Date\n"
    b"Ada,Acme,Cell,2025-01-02\nBob," + b"O" * 301 + b",Cell,2025-01-02\n",
    "zoom-join-not-a-date.csv": ZOOM_MEETING
    + ZOOM_TABLE
    + b"Ada,a@x.org,03/04/2025 10:05:00 AM,03/04/2025 10:35:00 AM,30,No\n"
    + b"Bob,b@x.org,soon,03/04/2025 10:35:00 AM,30,No\n",
}


def _zip_of(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_the_corpus_is_at_least_fifty_files() -> None:
    assert len(REFUSED) + len(ROWS_REFUSED) >= 50
    assert len(ATTENDANCE_REFUSED) + len(ATTENDANCE_ROWS_REFUSED) >= 15


@pytest.fixture
def small_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    from graphsvc.config import get_settings

    monkeypatch.setenv("GRAPHSVC_IMPORT_MAX_MB", "1")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_a_malformed_file_is_refused_and_writes_nothing(
    name: str, store: GraphStore, tmp_path: Path, small_limit: None
) -> None:
    path = tmp_path / name
    path.write_bytes(REFUSED[name]())
    version = store.version()
    with pytest.raises(ImportFileError) as refused:
        import_members(store, path)
    message = str(refused.value)
    assert name in message or "row" in message or "Joined" in message, message
    assert "\n" not in message and "Traceback" not in message
    assert store.version() == version


@pytest.mark.parametrize("name", sorted(REFUSED) + sorted(ATTENDANCE_REFUSED))
def test_a_malformed_attendance_file_is_refused_and_writes_nothing(
    name: str, store: GraphStore, tmp_path: Path, small_limit: None
) -> None:
    path = tmp_path / name
    path.write_bytes({**REFUSED, **ATTENDANCE_REFUSED}[name]())
    version = store.version()
    with pytest.raises(ImportFileError) as refused:
        import_attendance(store, path)
    message = str(refused.value)
    assert name in message or "Date" in message, message
    assert "\n" not in message and "Traceback" not in message
    assert store.version() == version


@pytest.mark.parametrize("name", sorted(ATTENDANCE_ROWS_REFUSED))
def test_an_attendance_file_with_bad_rows_reports_them_and_writes_nothing(
    name: str, store: GraphStore, tmp_path: Path
) -> None:
    path = tmp_path / name
    path.write_bytes(ATTENDANCE_ROWS_REFUSED[name])
    version = store.version()
    report = import_attendance(store, path)
    assert not report.written and report.rejected, report
    # The bad row is each file's last line.
    last_line = len(ATTENDANCE_ROWS_REFUSED[name].splitlines())
    assert [p.row for p in report.rejected] == [last_line], report.rejected
    assert store.version() == version


@pytest.mark.parametrize("name", sorted(ROWS_REFUSED))
def test_a_file_with_bad_rows_reports_them_and_writes_nothing(
    name: str, store: GraphStore, tmp_path: Path
) -> None:
    path = tmp_path / name
    path.write_bytes(ROWS_REFUSED[name])
    version = store.version()
    report = import_members(store, path)
    assert not report.written and report.rejected, report
    assert all(p.row >= 2 and p.reason for p in report.rejected)
    assert store.version() == version


def test_the_command_prints_one_line_and_no_traceback(tmp_path: Path) -> None:
    for name, expected_code, says in (
        ("duplicate-headers.csv", 2, "appears twice"),
        ("bad-email.csv", 1, "is not an email address"),
    ):
        path = tmp_path / name
        path.write_bytes(REFUSED[name]() if name in REFUSED else ROWS_REFUSED[name])
        command = ["import", "members", str(path), "--store", str(tmp_path / "store")]
        done = subprocess.run(
            [sys.executable, "-m", "graphsvc", *command],
            capture_output=True,
            text=True,
            env={**os.environ, "COLUMNS": "200"},
        )
        assert done.returncode == expected_code, done.stderr
        assert says in done.stdout + done.stderr
        assert "Traceback" not in done.stdout + done.stderr
