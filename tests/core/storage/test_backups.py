"""Backups: real collection files snapshotted, rotated, verified, restored and checked."""

from __future__ import annotations

import gzip
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from studyapp.core.collection import Collection
from studyapp.core.storage.backups import (
    BackupError,
    Backups,
    DamagedCollectionError,
    NewerBackupError,
    UseMeter,
    check_collection,
    open_checked,
    write_backup_file,
)
from studyapp.core.storage.database import SCHEMA_VERSION
from studyapp.core.storage.paths import DataPaths
from tests.conftest import FakeClock


def _answer_all(col: Collection, quality: int = 4) -> list[str]:
    keys = []
    while (card := col.next_card()) is not None:
        col.answer(card, quality)
        keys.append(card.key)
    return keys


def test_backup_file_of_an_open_collection_holds_its_committed_answers(
    collection: Collection, tmp_path: Path
) -> None:
    answered = _answer_all(collection)
    dest = write_backup_file(collection.path, tmp_path / "out" / "export.studyapp-backup")

    assert dest == tmp_path / "out" / "export.studyapp-backup"
    assert sorted(p.name for p in dest.parent.iterdir()) == [dest.name]  # no temp files left
    plain = tmp_path / "plain.sqlite"
    plain.write_bytes(gzip.decompress(dest.read_bytes()))
    conn = sqlite3.connect(plain)
    try:
        logged = conn.execute("SELECT count(*) FROM review_log").fetchone()[0]
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    finally:
        conn.close()
    assert logged == len(answered) > 0


# ---------------------------------------------------------------------- helpers
def _state(data_dir: Path) -> tuple[list[tuple], list[tuple]]:
    """Every item's schedule and every review-log row, read straight from the file."""
    conn = sqlite3.connect(DataPaths(data_dir).collection)
    try:
        items = conn.execute(
            "SELECT key, repetitions, ef_hundredths, interval, due_day, redrill_day FROM item "
            "ORDER BY key"
        ).fetchall()
        logs = conn.execute(
            "SELECT item_id, reviewed_ms, quality, kind FROM review_log ORDER BY id"
        ).fetchall()
    finally:
        conn.close()
    return items, logs


def _pages(path: Path) -> tuple[int, int]:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return (
            conn.execute("PRAGMA page_size").fetchone()[0],
            conn.execute("PRAGMA page_count").fetchone()[0],
        )
    finally:
        conn.close()


@pytest.fixture
def data_dir(collection: Collection) -> Path:
    return collection.path.parent


# ---------------------------------------------------------------------- create, list, restore
def test_restore_gives_exactly_the_state_backed_up_while_open(
    collection: Collection, data_dir: Path, clock: FakeClock
) -> None:
    backups = Backups(data_dir, clock=clock)
    first = collection.next_card()
    assert first is not None
    collection.answer(first, 5)
    collection.answer(collection.next_card(), 2)  # a re-drill today
    made = backups.create("manual")  # the collection is open, answers only in the WAL
    expected = _state(data_dir)
    assert len(expected[1]) == 2

    clock.advance(minutes=5)
    _answer_all(collection)
    collection.close()
    assert _state(data_dir) != expected

    result = backups.restore(made)

    assert result.restored_from == made and not result.previous_damaged
    assert result.previous is not None and result.previous.name.endswith(
        "-before-restore.studyapp-backup"
    )
    assert _state(data_dir) == expected
    reopened = Collection.open(data_dir, clock=clock)
    try:
        assert reopened.answered_on(reopened.today()) == 2
        assert reopened.counts().redrill == 1
        assert reopened.db.integrity_ok()
    finally:
        reopened.close()


def test_restore_backs_up_the_current_state_first(
    collection: Collection, data_dir: Path, clock: FakeClock
) -> None:
    backups = Backups(data_dir, clock=clock)
    made = backups.create()
    clock.advance(minutes=1)
    answered = _answer_all(collection)
    collection.close()
    latest = _state(data_dir)

    result = backups.restore(made)

    assert _state(data_dir)[1] == []
    assert result.previous is not None
    clock.advance(minutes=1)
    backups.restore(result.previous)  # undo the restore from its automatic backup
    assert _state(data_dir) == latest
    assert len(latest[1]) == len(answered) > 0


def test_list_is_newest_first_with_time_size_and_reason(
    collection: Collection, data_dir: Path, clock: FakeClock
) -> None:
    backups = Backups(data_dir, clock=clock)
    assert backups.list() == []
    a = backups.create("close")
    b = backups.create("auto")  # same second: a distinct name
    clock.advance(hours=1)
    c = backups.create("manual")
    (backups.folder / "notes.txt").write_text("mine", encoding="utf-8")

    listed = backups.list()

    assert [x.path for x in listed] == [c, b, a]
    assert [x.reason for x in listed] == ["manual", "auto", "close"]
    assert listed[0].created == datetime(2026, 3, 2, 11, 0, tzinfo=UTC)
    assert all(x.ok and x.size == x.path.stat().st_size > 0 for x in listed)
    assert (backups.folder / "notes.txt").exists()


def test_rotation_keeps_the_newest_twenty_and_one_per_day_for_a_week(
    collection: Collection, data_dir: Path, clock: FakeClock
) -> None:
    backups = Backups(data_dir, clock=clock)
    made: list[tuple[datetime, Path]] = []
    for _day in range(10):  # ten days, four backups a day (every three hours)
        for _ in range(4):
            made.append((clock.now, backups.create("auto")))
            clock.advance(hours=3)
        clock.advance(hours=12)

    kept = {b.path for b in backups.list()}

    newest_20 = {p for _, p in made[-20:]}
    last_day = made[-1][0].date()
    newest_per_day = {}
    for when, path in made:
        if (last_day - when.date()).days < 7:
            newest_per_day[when.date()] = path  # later ones overwrite: the day's newest
    assert kept == newest_20 | set(newest_per_day.values())
    assert len(kept) == 20 + 2  # five days inside the newest 20, two more days each keep one
    assert len(newest_per_day) == 7
    assert all(p.exists() == (p in kept) for _, p in made)


def test_a_corrupted_backup_is_refused_and_nothing_changes(
    collection: Collection, data_dir: Path, clock: FakeClock, tmp_path: Path
) -> None:
    backups = Backups(data_dir, clock=clock)
    good = backups.create()
    _answer_all(collection)
    collection.close()
    before = _state(data_dir)
    files_before = sorted(p.name for p in data_dir.rglob("*"))

    plain = gzip.decompress(good.read_bytes())
    page_size = int.from_bytes(plain[16:18], "big")
    damaged_pages = bytearray(plain)
    damaged_pages[page_size * 2 : page_size * 4] = bytes(range(256)) * (page_size * 2 // 256)
    cases = {
        "truncated.studyapp-backup": good.read_bytes()[: good.stat().st_size // 2],
        "garbage.studyapp-backup": b"\x1f\x8b this is not gzip",
        "damaged.studyapp-backup": gzip.compress(bytes(damaged_pages)),
        "empty-db.studyapp-backup": gzip.compress(b""),
    }
    other = tmp_path / "other.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE notes(x)").connection.close()
    cases["not-ours.studyapp-backup"] = gzip.compress(other.read_bytes())

    for name, content in cases.items():
        bad = tmp_path / name
        bad.write_bytes(content)
        with pytest.raises(BackupError) as raised:
            backups.restore(bad)
        assert name in str(raised.value)
        assert _state(data_dir) == before, name
        assert sorted(p.name for p in data_dir.rglob("*")) == files_before, name


def test_restore_refuses_a_backup_from_a_newer_version(
    collection: Collection, data_dir: Path, clock: FakeClock, tmp_path: Path
) -> None:
    collection.db.conn.execute(
        "UPDATE meta SET value=? WHERE key='schema_version'", (str(SCHEMA_VERSION + 1),)
    )
    newer = write_backup_file(collection.path, tmp_path / "newer.studyapp-backup")
    collection.db.conn.execute(
        "UPDATE meta SET value=? WHERE key='schema_version'", (str(SCHEMA_VERSION),)
    )
    collection.close()
    with pytest.raises(NewerBackupError, match="newer StudyApp"):
        Backups(data_dir, clock=clock).restore(newer)


def test_restore_of_an_older_format_is_migrated_on_open(
    tmp_path: Path, clock: FakeClock, decks_dir: Path
) -> None:
    old = tmp_path / "v1.sqlite"
    col = Collection(old, clock=clock)
    col.db.conn.execute("DROP TABLE drill_attempt")
    col.db.conn.execute("DROP TABLE drill_draft")
    col.db.conn.execute("UPDATE meta SET value='1' WHERE key='schema_version'")
    col.close()
    data = tmp_path / "data"
    Backups(data, clock=clock).restore(old)  # a plain SQLite file is accepted too
    reopened = Collection.open(data, clock=clock)
    try:
        version = reopened.db.conn.execute(
            "SELECT value FROM meta WHERE key='schema_version'"
        ).fetchone()[0]
        assert int(version) == SCHEMA_VERSION
        assert reopened.db.backup_path is not None  # the migration's own safety copy
    finally:
        reopened.close()


def test_restore_removes_the_replaced_files_wal(
    collection: Collection, data_dir: Path, clock: FakeClock
) -> None:
    backups = Backups(data_dir, clock=clock)
    made = backups.create()
    _answer_all(collection)
    wal = Path(f"{collection.path}-wal")
    assert wal.stat().st_size > 0
    # Simulate a crash: keep the live WAL (with the answers) after the process is gone.
    saved_wal = wal.read_bytes()
    answered = collection.answered_on(collection.today())
    collection.close()
    wal.write_bytes(saved_wal)

    result = backups.restore(made)

    assert not wal.exists()
    conn = sqlite3.connect(collection.path)
    try:
        assert conn.execute("SELECT count(*) FROM review_log").fetchone()[0] == 0
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()
    # The answers that lived only in the crashed WAL are in the before-restore backup.
    assert result.previous is not None
    backups.restore(result.previous)
    assert len(_state(data_dir)[1]) == answered > 0


# ---------------------------------------------------------------------- start-up check
def test_a_sound_collection_passes_the_check(collection: Collection, data_dir: Path) -> None:
    assert check_collection(collection.path) is None  # open, with a live WAL
    collection.close()
    assert check_collection(collection.path) is None
    assert check_collection(data_dir / "missing.sqlite") is None  # a first start


def test_garbage_pages_in_the_middle_are_detected(
    collection: Collection, data_dir: Path, clock: FakeClock
) -> None:
    backups = Backups(data_dir, clock=clock)
    good = backups.create()
    _answer_all(collection)
    path = collection.path
    collection.close()  # checkpoints: every page is in the main file
    assert not Path(f"{path}-wal").exists()
    page_size, page_count = _pages(path)
    assert page_count >= 8
    original = path.read_bytes()
    garbage = bytes((i * 37 + 11) % 256 for i in range(page_size))
    with path.open("r+b") as f:
        for page in range(page_count // 2 - 1, page_count // 2 + 2):
            f.seek(page * page_size)
            f.write(garbage)
    assert path.read_bytes() != original and path.stat().st_size == len(original)

    problem = check_collection(path)

    assert problem is not None and "damaged" in problem
    assert path.read_bytes() != original  # the check never writes
    assert backups.newest_good_backup() is not None
    assert backups.newest_good_backup().path == good


def test_a_damaged_table_root_page_is_detected(collection: Collection, data_dir: Path) -> None:
    _answer_all(collection)
    path = collection.path
    root = collection.db.conn.execute(
        "SELECT rootpage FROM sqlite_master WHERE name='review_log'"
    ).fetchone()[0]
    collection.close()
    page_size, _ = _pages(path)
    with path.open("r+b") as f:
        f.seek((root - 1) * page_size)
        f.write(b"\xff" * page_size)
    assert check_collection(path) is not None


def test_a_truncated_collection_is_detected(collection: Collection) -> None:
    _answer_all(collection)
    path = collection.path
    collection.close()
    size = path.stat().st_size
    with path.open("r+b") as f:
        f.truncate(size // 2)
    problem = check_collection(path)
    assert problem is not None and "cut short" in problem
    path.write_bytes(b"")
    assert check_collection(path) == "the file is empty (0 bytes)"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    problem = check_collection(path)
    assert problem is not None and "SQLite header" in problem


def test_a_foreign_sqlite_file_is_not_a_collection(tmp_path: Path) -> None:
    path = tmp_path / "collection.sqlite"
    sqlite3.connect(path).execute("CREATE TABLE notes(x)").connection.close()
    problem = check_collection(path)
    assert problem is not None and "not a StudyApp collection" in problem


def test_restoring_over_a_damaged_collection_keeps_it_aside(
    collection: Collection, data_dir: Path, clock: FakeClock
) -> None:
    backups = Backups(data_dir, clock=clock)
    answered = _answer_all(collection)
    good = backups.create("close")
    path = collection.path
    collection.close()
    with path.open("r+b") as f:
        f.truncate(path.stat().st_size // 2)
    damaged_bytes = path.read_bytes()
    clock.advance(minutes=1)

    newest = backups.newest_good_backup()
    assert newest is not None and newest.path == good
    result = backups.restore(newest.path)

    assert result.previous_damaged and result.previous is not None
    assert result.previous.name == "collection.sqlite.damaged-20260302-100100"
    assert result.previous.read_bytes() == damaged_bytes
    assert check_collection(path) is None
    assert len(_state(data_dir)[1]) == len(answered)
    assert [b.path for b in backups.list()] == [good]  # no unreadable 'before' backup


def test_newest_good_backup_skips_damaged_ones(
    collection: Collection, data_dir: Path, clock: FakeClock
) -> None:
    backups = Backups(data_dir, clock=clock)
    assert backups.newest_good_backup() is None
    good = backups.create()
    clock.advance(minutes=1)
    bad = backups.create()
    bad.write_bytes(bad.read_bytes()[:100])
    listed = backups.list()
    assert [b.path for b in listed] == [bad, good]
    newest = backups.newest_good_backup()
    assert newest is not None and newest.path == good


# ---------------------------------------------------------------------- automatic backups
def test_use_meter_counts_only_active_time(clock: FakeClock) -> None:
    meter = UseMeter(clock.now)
    for _ in range(20):
        clock.advance(minutes=1)
        meter.tick(clock.now, active=True)
    for _ in range(60):  # an hour in the background does not count
        clock.advance(minutes=1)
        meter.tick(clock.now, active=False)
    clock.advance(hours=8)  # the laptop slept: at most one tick's worth counts
    meter.tick(clock.now, active=True)
    assert meter.used == timedelta(minutes=22) and not meter.due
    for _ in range(8):
        clock.advance(minutes=1)
        meter.tick(clock.now, active=True)
    assert meter.due
    meter.restart(clock.now)
    assert meter.used == timedelta() and not meter.due


def test_due_needs_thirty_minutes_of_use_and_no_recent_backup(
    collection: Collection, data_dir: Path, clock: FakeClock
) -> None:
    backups = Backups(data_dir, clock=clock)
    assert not backups.due(clock.now, timedelta(minutes=29))
    assert backups.due(clock.now, timedelta(minutes=30))
    backups.create("before-restore")
    clock.advance(minutes=10)
    assert not backups.due(clock.now, timedelta(minutes=45))
    clock.advance(minutes=20)
    assert backups.due(clock.now, timedelta(minutes=30))


def test_open_checked_refuses_a_damaged_file_and_names_the_newest_good_backup(
    collection: Collection, data_dir: Path, clock: FakeClock
) -> None:
    good = Backups(data_dir, clock=clock).create("close")
    path = collection.path
    collection.close()
    with path.open("r+b") as f:
        f.truncate(path.stat().st_size // 3)
    damaged = path.read_bytes()

    with pytest.raises(DamagedCollectionError) as raised:
        open_checked(data_dir, clock=clock)

    assert raised.value.newest_good is not None and raised.value.newest_good.path == good
    assert "cut short" in raised.value.problem
    assert path.read_bytes() == damaged  # not opened for writing, not "repaired"
    Backups(data_dir, clock=clock).restore(good)
    reopened = open_checked(data_dir, clock=clock)
    reopened.close()


def test_a_damaged_file_set_aside_keeps_its_wal_beside_it(
    collection: Collection, data_dir: Path, clock: FakeClock, tmp_path: Path
) -> None:
    _answer_all(collection)
    path = collection.path
    main_bytes = path.read_bytes()
    wal_bytes = Path(f"{path}-wal").read_bytes()  # the answers, not yet checkpointed
    collection.close()
    path.write_bytes(main_bytes[: len(main_bytes) // 2])  # damaged, as after a crash
    Path(f"{path}-wal").write_bytes(wal_bytes)

    aside = Backups(data_dir, clock=clock).set_aside_damaged()

    assert aside is not None and not path.exists()
    assert not Path(f"{path}-wal").exists() and not Path(f"{path}-shm").exists()
    assert Path(f"{aside}-wal").read_bytes() == wal_bytes  # still a pair SQLite would find
    assert aside.read_bytes() == main_bytes[: len(main_bytes) // 2]
