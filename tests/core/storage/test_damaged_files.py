"""The last good copy is never lost: damaged, lost, foreign and full-disk collections (issue 11 §3).

Each test builds the condition for real (bytes overwritten, a file emptied, a small tmpfs filled)
and checks what the user sees and that nothing good was destroyed.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import sqlite3
from pathlib import Path

import pytest

from studyapp.core.collection import Collection
from studyapp.core.decks.sync import sync_deck_folders
from studyapp.core.errors import CorruptCollectionError, DataFolderError
from studyapp.core.storage import backups as backups_module
from studyapp.core.storage.backups import (
    BackupError,
    Backups,
    BackupTooLargeError,
    DamagedCollectionError,
    check_collection,
    write_backup_file,
)
from studyapp.core.storage.database import Database
from studyapp.core.storage.instance_lock import InstanceLock
from studyapp.core.transfer.exporting import ExportFailed, export_collection
from studyapp.core.transfer.import_model import ImportFailed
from studyapp.core.transfer.importing import import_package, read_import_file
from tests.conftest import FakeClock
from tests.core.fs_helpers import damage_table, fill, read_only, small_disk, studyapp


def _studied(data: Path, decks_dir: Path, clock: FakeClock) -> Path:
    """A collection with two answers, closed; returns its path."""
    col = Collection.open(data, clock=clock)
    try:
        sync_deck_folders(col, [decks_dir])
        for _ in range(2):
            card = col.next_card()
            assert card is not None
            col.answer(card, 5)
    finally:
        col.close()
    return col.path


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ---------------------------------------------------------------------- backups
def test_backup_of_a_damaged_collection_is_refused_and_the_good_one_survives_rotation(
    tmp_path: Path, decks_dir: Path, clock: FakeClock
) -> None:
    data = tmp_path / "data"
    path = _studied(data, decks_dir, clock)
    backups = Backups(data, clock=clock)
    good = backups.create("manual")
    damage_table(path)
    for _ in range(25):  # more runs than rotation keeps
        clock.advance(minutes=31)
        with pytest.raises(BackupError, match=r"damaged.*no backup was made"):
            backups.create("auto")
    assert [b.path for b in backups.list()] == [good]
    assert backups.newest_good_backup().path == good


def test_rotation_never_deletes_the_newest_verified_backup(
    tmp_path: Path, decks_dir: Path, clock: FakeClock
) -> None:
    """Twenty-five newer backups that were never checked (made by an older StudyApp from a
    damaged file) cannot push the last verified one out."""
    data = tmp_path / "data"
    path = _studied(data, decks_dir, clock)
    backups = Backups(data, clock=clock)
    good = backups.create("manual")
    damage_table(path)
    raw = path.read_bytes()
    for _ in range(25):
        clock.advance(days=1)
        stamp = clock().strftime("%Y%m%d-%H%M%S")
        (backups.folder / f"collection-{stamp}Z-auto.studyapp-backup").write_bytes(
            gzip.compress(raw, 1)
        )
    backups.rotate()
    kept = [b.path for b in backups.list()]
    assert good in kept
    assert len(kept) == 21  # twenty newest (unchecked) + the verified one
    assert backups.newest_good_backup().path == good


def test_backup_list_marks_damaged_backups(
    tmp_path: Path, decks_dir: Path, clock: FakeClock
) -> None:
    data = tmp_path / "data"
    path = _studied(data, decks_dir, clock)
    Backups(data, clock=clock).create("manual")
    damage_table(path)
    bad = data / "backups" / "collection-20990101-000000Z-auto.studyapp-backup"
    bad.write_bytes(gzip.compress(path.read_bytes(), 1))  # gzip and header fine, pages not

    out = studyapp("--data-dir", str(data), "backup", "list", "--json")

    assert out.returncode == 0, out.stderr
    rows = {Path(r["file"]).name: r for r in map(json.loads, out.stdout.splitlines())}
    assert rows[bad.name]["status"] == "damaged" and not rows[bad.name]["ok"]
    assert rows[bad.name]["problem"]
    good = [r for n, r in rows.items() if n != bad.name]
    assert [r["status"] for r in good] == ["verified"]
    text = studyapp("--data-dir", str(data), "backup", "list").stdout
    assert f"{bad.name}  DAMAGED" in text


def test_backup_create_on_a_damaged_collection_is_one_line_naming_the_good_backup(
    tmp_path: Path, decks_dir: Path, clock: FakeClock
) -> None:
    data = tmp_path / "data"
    path = _studied(data, decks_dir, clock)
    good = Backups(data, clock=clock).create("manual")
    damage_table(path)
    out = studyapp("--data-dir", str(data), "backup", "create")
    assert out.returncode == 2 and out.stdout == ""
    assert len(out.stderr.splitlines()) == 1 and good.name in out.stderr
    assert "damaged" in out.stderr and "Traceback" not in out.stderr


# ---------------------------------------------------------------------- lost collections
@pytest.mark.parametrize("state", ["empty", "missing"])
@pytest.mark.parametrize(
    "command",
    [
        ["decks", "list"],
        ["stats", "--png", "{tmp}/s.png"],
        ["import", "{tmp}/cards.csv"],
        ["drill", "list"],
        ["drill", "run", "softmax"],
    ],
)
def test_a_lost_collection_is_not_recreated_empty(
    tmp_path: Path, decks_dir: Path, clock: FakeClock, state: str, command: list[str]
) -> None:
    data = tmp_path / "data"
    path = _studied(data, decks_dir, clock)
    good = Backups(data, clock=clock).create("manual")
    (tmp_path / "cards.csv").write_text("front,back\nq,a\n", encoding="utf-8")
    if state == "empty":
        path.write_bytes(b"")
    else:
        path.unlink()

    out = studyapp("--data-dir", str(data), *(a.format(tmp=tmp_path) for a in command))

    assert out.returncode == 2, out.stdout + out.stderr
    assert len(out.stderr.splitlines()) == 1, out.stderr
    assert good.name in out.stderr and "backup restore" in out.stderr
    assert (path.exists() and path.stat().st_size == 0) if state == "empty" else not path.exists()


def test_a_lost_collection_with_only_a_history_marker_is_refused(
    tmp_path: Path, decks_dir: Path, clock: FakeClock
) -> None:
    data = tmp_path / "data"
    path = _studied(data, decks_dir, clock)
    assert (data / "collection.history").exists()  # written once answers exist
    path.unlink()
    with pytest.raises(DamagedCollectionError) as caught:
        Collection.open(data, clock=clock)
    assert caught.value.lost and caught.value.newest_good is None
    assert "no usable backup" in caught.value.advice()
    assert not path.exists()


def test_a_fresh_folder_still_starts_empty(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "collection.sqlite").write_bytes(b"")  # e.g. touched by a script
    out = studyapp("--data-dir", str(tmp_path / "data"), "decks", "list", "--json")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip()  # the bundled decks


# ---------------------------------------------------------------------- foreign files
def test_a_foreign_sqlite_file_is_refused_without_being_modified(tmp_path: Path) -> None:
    path = tmp_path / "data" / "collection.sqlite"
    path.parent.mkdir()
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE photos(id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO photos(name) VALUES ('cat.jpg')")
    conn.commit()
    conn.close()
    before = _digest(path)
    with pytest.raises(CorruptCollectionError, match="not a StudyApp collection"):
        Database(path)
    out = studyapp("--data-dir", str(path.parent), "decks", "list")
    assert out.returncode == 2 and len(out.stderr.splitlines()) == 1
    assert _digest(path) == before  # not even switched to WAL (header bytes 18-19)
    assert not Path(f"{path}-wal").exists()


def test_a_garbage_schema_version_is_a_clear_refusal_with_the_backup(
    tmp_path: Path, decks_dir: Path, clock: FakeClock
) -> None:
    data = tmp_path / "data"
    path = _studied(data, decks_dir, clock)
    good = Backups(data, clock=clock).create("manual")
    conn = sqlite3.connect(path)
    conn.execute("UPDATE meta SET value='three' WHERE key='schema_version'")
    conn.commit()
    conn.close()
    assert "'three'" in (check_collection(path) or "")
    for command in (["decks", "list"], ["drill", "list"], ["stats", "--png", "x.png"]):
        out = studyapp("--data-dir", str(data), *command)
        assert out.returncode == 2, out.stderr
        assert len(out.stderr.splitlines()) == 1 and "'three'" in out.stderr
        assert good.name in out.stderr


# ---------------------------------------------------------------------- export and import
@pytest.mark.parametrize("suffix", ["", "-wal"])
def test_export_onto_the_live_collection_is_refused(
    collection: Collection, tmp_path: Path, suffix: str
) -> None:
    target = Path(f"{collection.path}{suffix}")
    before = collection.path.read_bytes()
    with pytest.raises(ExportFailed, match="collection itself"):
        export_collection(collection.path, target)
    assert collection.path.read_bytes() == before
    link = tmp_path / "study.studyapp-backup"
    link.symlink_to(collection.path)
    with pytest.raises(ExportFailed, match="collection itself"):
        export_collection(collection.path, link)
    collection.close()
    out = studyapp("--data-dir", str(collection.path.parent), "export", "collection", str(target))
    assert out.returncode == 1 and len(out.stderr.splitlines()) == 1
    assert "collection itself" in out.stderr
    assert check_collection(collection.path) is None


def test_import_from_the_live_collection_is_refused(collection: Collection, tmp_path: Path) -> None:
    link = tmp_path / "mine.csv"
    link.symlink_to(collection.path)
    csv = tmp_path / "plain.csv"
    csv.write_text("front,back\nq,a\n", encoding="utf-8")
    package = read_import_file(csv)
    package.source = str(link)
    with pytest.raises(ImportFailed, match="collection itself"):
        import_package(collection, package)
    collection.close()
    out = studyapp("--data-dir", str(collection.path.parent), "import", str(link))
    assert out.returncode == 1 and "collection itself" in out.stderr


# ---------------------------------------------------------------------- folders and disks
def test_a_read_only_data_folder_gets_a_clear_message(
    tmp_path: Path, decks_dir: Path, clock: FakeClock
) -> None:
    data = tmp_path / "data"
    _studied(data, decks_dir, clock)
    (data / "studyapp.lock").unlink(missing_ok=True)
    with read_only(data):
        with pytest.raises(DataFolderError, match="cannot be written"):
            InstanceLock(data).acquire()
        for command in (["decks", "list"], ["drill", "list"], ["stats", "--png", "/tmp/x.png"]):
            out = studyapp("--data-dir", str(data), *command)
            assert out.returncode == 2, out.stderr
            assert len(out.stderr.splitlines()) == 1, out.stderr
            assert "read-only" in out.stderr or "cannot be written" in out.stderr, out.stderr


def test_a_checkpoint_stopped_by_a_full_disk_is_not_called_cut_short(tmp_path: Path) -> None:
    with small_disk(tmp_path / "disk", "3m") as disk:
        path = disk / "collection.sqlite"
        col = Collection.open(disk)
        col.db.conn.execute("PRAGMA wal_autocheckpoint=0")  # everything stays in the WAL
        with col.db.transaction() as conn:
            conn.executemany(
                "INSERT INTO meta(key, value) VALUES (?, ?)",
                ((f"blob.{i}", "x" * 1000) for i in range(900)),
            )
        filler = fill(disk, leave=150_000)
        with pytest.raises(sqlite3.OperationalError, match="full"):
            col.close()
        assert Path(f"{path}-wal").stat().st_size > 0
        assert check_collection(path) is None  # the WAL still holds every page: sound
        filler.unlink()
        reopened = Collection.open(disk, lock=False)
        try:
            count = reopened.db.conn.execute(
                "SELECT count(*) FROM meta WHERE key LIKE 'blob.%'"
            ).fetchone()[0]
            assert count == 900 and reopened.db.integrity_ok()
        finally:
            reopened.close()


def test_backup_create_on_a_full_disk_is_one_line_and_leaves_no_partial_file(
    tmp_path: Path, decks_dir: Path, clock: FakeClock
) -> None:
    data = tmp_path / "data"
    _studied(data, decks_dir, clock)
    with small_disk(data / "backups", "1m") as folder:
        fill(folder, leave=4096)
        out = studyapp("--data-dir", str(data), "backup", "create")
        assert out.returncode == 3, out.stderr
        assert len(out.stderr.splitlines()) == 1 and "disk is full" in out.stderr
        assert sorted(p.name for p in folder.iterdir()) == ["filler"]


def _bomb(path: Path, mib: int = 200) -> Path:
    """A backup of a few hundred KiB that unpacks to ``mib`` MiB."""
    with gzip.open(path, "wb", compresslevel=1) as f:
        f.write(b"SQLite format 3\x00")
        for _ in range(mib):
            f.write(b"\0" * (1 << 20))
    assert path.stat().st_size < 1 << 20
    return path


def test_a_gzip_bomb_is_refused_before_it_fills_the_disk(tmp_path: Path) -> None:
    bomb = _bomb(tmp_path / "bomb.studyapp-backup")
    with small_disk(tmp_path / "disk", "100m") as disk:
        with pytest.raises(BackupTooLargeError, match="unpacks to more than"):
            Backups(disk).restore(bomb)
        assert list(disk.iterdir()) == []  # nothing left behind, nothing replaced


def test_a_gzip_bomb_is_refused_past_the_size_cap(
    collection: Collection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bomb = _bomb(tmp_path / "bomb.studyapp-backup", mib=64)
    monkeypatch.setattr(backups_module, "MAX_UNPACKED", 32 << 20)
    data = collection.path.parent
    collection.close()
    before = _digest(collection.path)
    for attempt in (Backups(data).restore, Backups(data).verify):
        with pytest.raises(BackupTooLargeError, match="unpacks to more than 33,554,432 bytes"):
            attempt(bomb)
    assert _digest(collection.path) == before
    assert not list(data.glob("*.restoring"))


# ---------------------------------------------------------------------- durability
def test_commits_are_fsynced_before_they_return(collection: Collection) -> None:
    assert collection.db.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert collection.db.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_write_backup_file_refuses_an_empty_database(tmp_path: Path) -> None:
    empty = tmp_path / "empty.sqlite"
    sqlite3.connect(empty).close()
    empty.write_bytes(b"")
    with pytest.raises((BackupError, FileNotFoundError)):
        write_backup_file(empty, tmp_path / "out.studyapp-backup")
    assert not (tmp_path / "out.studyapp-backup").exists()
