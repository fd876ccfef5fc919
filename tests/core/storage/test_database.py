"""Opening files: migrations with a backup, newer files refused, one instance per folder."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from studyapp.core.collection import Collection
from studyapp.core.errors import (
    AlreadyRunningError,
    CorruptCollectionError,
    NewerCollectionError,
)
from studyapp.core.storage.database import SCHEMA_VERSION, Database, migrate


def test_new_file_has_schema_version_and_wal(tmp_path: Path) -> None:
    db = Database(tmp_path / "c.sqlite")
    try:
        assert db.conn.execute("SELECT value FROM meta").fetchone() == (str(SCHEMA_VERSION),)
        assert db.conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert db.integrity_ok()
    finally:
        db.close()


def test_older_file_is_backed_up_then_migrated(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    Database(path).close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("UPDATE meta SET value='0' WHERE key='schema_version'")

    def add_note_column(c: sqlite3.Connection) -> None:
        c.execute("ALTER TABLE item ADD COLUMN note TEXT NOT NULL DEFAULT ''")

    backup = migrate(conn, path, current=0, target=1, migrations={0: add_note_column})
    assert backup is not None and backup.exists() and backup.parent == tmp_path
    old = sqlite3.connect(backup)
    assert old.execute("SELECT value FROM meta").fetchone() == ("0",)
    assert "note" not in [r[1] for r in old.execute("PRAGMA table_info(item)")]
    assert conn.execute("SELECT value FROM meta").fetchone() == ("1",)
    assert "note" in [r[1] for r in conn.execute("PRAGMA table_info(item)")]


def test_failed_migration_rolls_back(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    Database(path).close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("UPDATE meta SET value='0' WHERE key='schema_version'")

    def broken(c: sqlite3.Connection) -> None:
        c.execute("ALTER TABLE item ADD COLUMN x INTEGER")
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        migrate(conn, path, current=0, target=1, migrations={0: broken})
    assert conn.execute("SELECT value FROM meta").fetchone() == ("0",)
    assert "x" not in [r[1] for r in conn.execute("PRAGMA table_info(item)")]


def test_newer_file_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "collection.sqlite"
    Database(path).close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE meta SET value='99' WHERE key='schema_version'")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(NewerCollectionError, match=r"newer StudyApp.*format 99"):
        Collection.open(tmp_path)
    assert path.read_bytes() == before
    Collection.open(tmp_path / "other").close()  # and the lock was released


@pytest.mark.parametrize("content", [b"not a database at all" * 100, b""])
def test_foreign_file_is_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "collection.sqlite"
    path.write_bytes(content)
    if content:
        with pytest.raises(CorruptCollectionError):
            Collection.open(tmp_path)
    else:  # an empty file is a new collection
        Collection.open(tmp_path).close()


def test_second_instance_gets_a_clear_message(tmp_path: Path) -> None:
    first = Collection.open(tmp_path)
    try:
        code = (
            "import sys; from pathlib import Path\n"
            "from studyapp.core.collection import Collection\n"
            "from studyapp.core.errors import AlreadyRunningError\n"
            "try:\n    Collection.open(Path(sys.argv[1]))\n"
            "except AlreadyRunningError as e:\n    print(e); sys.exit(3)\n"
        )
        out = subprocess.run(
            [sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, timeout=60
        )
        assert out.returncode == 3, out.stderr
        assert "already running" in out.stdout and str(tmp_path) in out.stdout
        with pytest.raises(AlreadyRunningError):
            Collection.open(tmp_path)
    finally:
        first.close()
    Collection.open(tmp_path).close()


def test_version_1_file_gains_drill_tables_and_keeps_reviews(tmp_path: Path) -> None:
    """The real upgrade path: a collection from before drills existed."""
    col = Collection.open(tmp_path)
    col.close()
    conn = sqlite3.connect(tmp_path / "collection.sqlite", isolation_level=None)
    conn.execute("DROP TABLE drill_attempt")
    conn.execute("DROP TABLE drill_draft")
    conn.execute(
        "INSERT INTO deck(key, title, description, tags, language, titles_json, "
        "source_path, enabled, retired) VALUES ('d', 'D', '', '', 'en', '{}', '', 1, 0)"
    )
    conn.execute("UPDATE meta SET value='1' WHERE key='schema_version'")
    conn.close()
    col = Collection.open(tmp_path)
    try:
        assert col.db.backup_path is not None and col.db.backup_path.name.startswith(
            "collection.sqlite.v1-"
        )
        tables = {r[0] for r in col.db.conn.execute("SELECT name FROM sqlite_master")}
        assert {"drill_attempt", "drill_draft"} <= tables
        assert [d.key for d in col.decks()] == ["d"]
    finally:
        col.close()


def test_a_deferred_commit_is_fsynced_by_sync_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The window's mode: the commit returns without waiting for the disk, and sync() (run
    by the database thread right after the GUI has its result) fsyncs the WAL."""
    import os

    db = Database(tmp_path / "c.sqlite")
    assert db.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL by default
    db.defer_fsync()
    assert db.conn.execute("PRAGMA synchronous").fetchone()[0] == 1
    synced: list[str] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        synced.append(os.readlink(f"/proc/self/fd/{fd}"))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    db.sync()
    assert synced == []  # nothing written yet
    with db.transaction() as conn:
        conn.execute("INSERT INTO meta(key, value) VALUES ('x', '1')")
    assert synced == []  # the commit itself did not wait
    db.sync()
    assert synced == [str(tmp_path / "c.sqlite-wal")]
    db.sync()
    assert len(synced) == 1
    db.close()
    db.sync()  # after close: nothing to do, no error
