"""Files that hold personal data are the owner's only, whatever the umask: the
embedded store and uploads waiting to be imported."""

import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from graphsvc.api.uploads import UploadFolder
from graphsvc.errors import GraphsvcError
from graphsvc.store import open_store
from graphsvc.synthetic import NetworkRecords


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def open_to_others(top: Path) -> list[str]:
    """Everything at or under ``top`` that anyone but its owner may read or enter."""
    found = [top, *top.rglob("*")]
    return [f"{p} {oct(mode(p))}" for p in found if not p.is_symlink() and mode(p) & 0o077]


@pytest.fixture
def usual_umask() -> Iterator[None]:
    """The umask most systems give (0o022: files readable by everyone)."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.fixture
def temporary_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The system's temporary directory, as TMPDIR names it, for this test alone."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.mark.usefixtures("usual_umask")
def test_a_new_embedded_store_and_its_files_are_owner_only(
    tmp_path: Path, small_network: NetworkRecords
) -> None:
    data = tmp_path / "store"
    store = open_store(str(data), graph="modes")
    try:
        store.upsert_nodes(list(small_network.nodes())[:50])
    finally:
        store.close()  # which saves the snapshot file too
    assert (data / "graph.db").exists() and (data / "appendonlydir").is_dir()
    assert mode(data) == 0o700
    assert not open_to_others(data)


@pytest.mark.usefixtures("usual_umask")
def test_an_existing_store_left_readable_by_others_is_made_owner_only(tmp_path: Path) -> None:
    data = tmp_path / "store"
    data.mkdir(mode=0o755)
    (data / "falkordb.log").write_text("an older server's log\n")
    (data / "falkordb.log").chmod(0o644)
    store = open_store(str(data), graph="modes")
    store.close()
    assert mode(data) == 0o700
    assert not open_to_others(data)


@pytest.mark.usefixtures("usual_umask")
def test_an_upload_waits_in_an_owner_only_file_that_is_removed_afterwards(
    temporary_dir: Path,
) -> None:
    with UploadFolder.opened() as folder:
        with folder.staged("members.csv") as path:
            path.write_bytes(b"Name,Email\n")
            assert path.name == "members.csv" and path.read_bytes() == b"Name,Email\n"
            assert not open_to_others(temporary_dir / f"graphsvc-uploads-{os.getuid()}")
        assert not path.exists() and not path.parent.exists()
        with pytest.raises(RuntimeError), folder.staged("members.csv") as path:
            raise RuntimeError("the import failed")
        assert not path.parent.exists(), "a failed import leaves nothing either"
    assert not folder.path.exists(), "the service's folder goes when it stops"


def test_uploads_left_by_a_service_that_died_are_removed_when_the_next_starts(
    temporary_dir: Path,
) -> None:
    root = temporary_dir / f"graphsvc-uploads-{os.getuid()}"
    root.mkdir(mode=0o755)
    crashed = root / "4194305-1700000000-x1" / "a1"  # no pid is that high
    crashed.mkdir(parents=True)
    (crashed / "members.csv").write_text("Name,Email\nAda,ada@example.org\n")
    started = int(psutil.Process().create_time())
    running = root / f"{os.getpid()}-{started}-x2"  # another service in this process
    running.mkdir()
    with UploadFolder.opened() as folder:
        assert not (root / "4194305-1700000000-x1").exists()
        assert running.exists()
        assert folder.path.parent == root and mode(root) == 0o700
    assert sorted(root.iterdir()) == [running]


def test_an_upload_folder_that_is_not_a_folder_of_this_users_is_refused(
    temporary_dir: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (temporary_dir / f"graphsvc-uploads-{os.getuid()}").symlink_to(elsewhere)
    with pytest.raises(GraphsvcError, match="TMPDIR"), UploadFolder.opened():
        pass
