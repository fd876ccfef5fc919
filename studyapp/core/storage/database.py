"""Opening the SQLite file: pragmas, schema creation, version checks and migrations.

Why WAL with ``synchronous=FULL`` (as Anki does): an answer the app has acknowledged must survive
a power cut, not only a killed process, so every COMMIT waits for the WAL's fsync. The window
does the same fsync one step later (:meth:`Database.defer_fsync`): its database thread commits,
hands the next card to the GUI, and then fsyncs the WAL before it takes the next job, so the GUI
never waits for the disk. ``bench/review_bench.py --synchronous-both`` shows the costs.

Why the file is inspected before any pragma: switching to WAL writes to the file, and a file
that is not a StudyApp collection (another application's database) must be left exactly as it
is when it is refused.

Why one raw ``sqlite3`` connection in autocommit mode: the app controls every transaction with an
explicit BEGIN/COMMIT, so "one answer = one transaction" holds by construction. SQLModel declares
the tables and runs typed read queries over the same connection.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from studyapp.core.errors import (
    CollectionError,
    CorruptCollectionError,
    DataFolderError,
    NewerCollectionError,
)

if TYPE_CHECKING:
    from sqlalchemy import Engine

__all__ = [
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "SYNCHRONOUS",
    "Database",
    "Migration",
    "backup_copy",
    "migrate",
    "read_schema_version",
]

#: The collection format this version writes. Bump it with a migration whenever a table in
#: ``studyapp.core.storage.schema`` changes.
SCHEMA_VERSION = 3

#: Every commit is fsynced before it returns (see the module docstring).
SYNCHRONOUS = "FULL"

#: A migration takes the connection (inside a transaction) from version n to n + 1.
Migration = Callable[[sqlite3.Connection], None]


def _add_drill_tables(conn: sqlite3.Connection) -> None:
    """1 -> 2: coding drills keep their attempts and the learner's draft code."""
    for statement in _schema_ddl(only=("drill_attempt", "drill_draft")):
        conn.execute(statement)


def _add_statistics_support(conn: sqlite3.Connection) -> None:
    """2 -> 3: for the Statistics page, an index over live items' schedules and the review log
    counted per day (``review_day``), filled from the log once and then kept by triggers."""
    from sqlalchemy.dialects import sqlite as sqlite_dialect
    from sqlalchemy.schema import CreateIndex

    from studyapp.core.storage.schema import REVIEW_DAY_BACKFILL, REVIEW_DAY_SQL, Item

    table = Item.metadata.tables["item"]  # Item.__table__, which the stubs do not declare
    index = next(i for i in table.indexes if i.name == "ix_item_stats")
    ddl = CreateIndex(index, if_not_exists=True).compile(dialect=sqlite_dialect.dialect())
    conn.execute(str(ddl))
    for statement in REVIEW_DAY_SQL + REVIEW_DAY_BACKFILL:
        conn.execute(statement)


#: version n -> the function that upgrades a version-n file to n + 1.
MIGRATIONS: dict[int, Migration] = {1: _add_drill_tables, 2: _add_statistics_support}


def read_schema_version(conn: sqlite3.Connection) -> int | None:
    """The stored schema version, or None for an empty (new) file."""
    has_meta = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type='table' AND name='meta'"
    ).fetchone()
    if not has_meta:
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if tables:
            raise CorruptCollectionError(
                "this file is an SQLite database but not a StudyApp collection (no 'meta' table)"
            )
        return None
    row = conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
    if row is None:
        raise CorruptCollectionError("the collection has no schema version in its 'meta' table")
    try:
        return int(row[0])
    except (TypeError, ValueError):
        raise CorruptCollectionError(
            f"the collection's schema version is {row[0]!r}, not a number: the 'meta' table "
            "was damaged or written by another program"
        ) from None


def backup_copy(conn: sqlite3.Connection, path: Path, suffix: str) -> Path:
    """Write a consistent copy of the open database next to it and return its path."""
    target = path.with_name(f"{path.name}.{suffix}-{time.strftime('%Y%m%d-%H%M%S')}.bak")
    dest = sqlite3.connect(target)
    try:
        conn.backup(dest)
    finally:
        dest.close()
    return target


def migrate(
    conn: sqlite3.Connection,
    path: Path,
    *,
    current: int,
    target: int = SCHEMA_VERSION,
    migrations: Mapping[int, Migration] = MIGRATIONS,
) -> Path | None:
    """Bring a file from ``current`` to ``target``, after writing a backup copy next to it.

    Returns the backup's path (None when nothing had to change). A newer file is refused, since
    this version cannot know what its extra data means.
    """
    if current > target:
        raise NewerCollectionError(
            f"{path} was written by a newer StudyApp (collection format {current}; this version "
            f"reads up to {target}). Update StudyApp, or open another data folder."
        )
    if current == target:
        return None
    missing = [v for v in range(current, target) if v not in migrations]
    if missing:
        raise CorruptCollectionError(f"no migration from collection format {missing[0]}")
    backup = backup_copy(conn, path, f"v{current}")
    conn.execute("BEGIN IMMEDIATE")
    try:
        for version in range(current, target):
            migrations[version](conn)
        conn.execute("UPDATE meta SET value=? WHERE key='schema_version'", (str(target),))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return backup


class Database:
    """The open collection file: one connection, explicit transactions."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.backup_path: Path | None = None
        self._engine: Engine | None = None
        #: True once :meth:`defer_fsync` moved the commit's fsync to :meth:`sync`.
        self.deferred = False
        self._synced_changes = 0
        self.conn = self._connect()
        try:
            # Read first: a file that is refused here has not been written to.
            version = read_schema_version(self.conn)
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute(f"PRAGMA synchronous={SYNCHRONOUS}")
            self.conn.execute("PRAGMA foreign_keys=ON")
            self.conn.execute("PRAGMA temp_store=MEMORY")
        except CorruptCollectionError:
            self.conn.close()
            raise
        except sqlite3.DatabaseError as exc:
            self.conn.close()
            raise self._open_error(exc) from exc
        if version is None:
            self._create()
        else:
            self.backup_path = migrate(self.conn, self.path, current=version)

    def _connect(self) -> sqlite3.Connection:
        """The connection, or a message saying why the folder or file cannot be used."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            return sqlite3.connect(
                self.path, isolation_level=None, check_same_thread=False, timeout=5.0
            )
        except OSError as exc:
            raise DataFolderError(
                f"the data folder {self.path.parent} cannot be created: {exc.strerror or exc}"
            ) from exc
        except sqlite3.DatabaseError as exc:
            raise self._open_error(exc) from exc

    def _open_error(self, exc: sqlite3.DatabaseError) -> Exception:
        """A read-only folder or disk is a folder problem, not a damaged file."""
        folder = self.path.parent
        if not os.access(folder, os.W_OK) or (
            self.path.exists() and not os.access(self.path, os.W_OK)
        ):
            return DataFolderError(
                f"the data folder {folder} is read-only, so StudyApp cannot write its "
                "collection there; make it writable or choose another folder with --data-dir"
            )
        if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
            return CollectionError(
                f"{self.path} is busy: another program is writing to it; try again in a moment"
            )
        return CorruptCollectionError(f"{self.path} is not a StudyApp collection: {exc}")

    @property
    def engine(self) -> Engine:
        """A SQLAlchemy engine over the same connection, for SQLModel queries (made lazily)."""
        if self._engine is None:
            from sqlalchemy import create_engine
            from sqlalchemy.pool import StaticPool

            self._engine = create_engine(
                "sqlite://",
                creator=lambda: self.conn,
                poolclass=StaticPool,
                pool_reset_on_return=None,
            )
        return self._engine

    def _create(self) -> None:
        from studyapp.core.storage.schema import FTS_SQL, REVIEW_DAY_SQL

        with self.transaction():
            for statement in _schema_ddl():
                self.conn.execute(statement)
            for statement in FTS_SQL + REVIEW_DAY_SQL:
                self.conn.execute(statement)
            self.conn.execute(
                "INSERT INTO meta(key, value) VALUES ('schema_version', ?)",
                (str(SCHEMA_VERSION),),
            )

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN ... COMMIT, or ROLLBACK on any exception: all or nothing."""
        self.conn.execute("BEGIN")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def defer_fsync(self) -> None:
        """Commits stop waiting for the WAL's fsync; the caller must call :meth:`sync` after
        each job (the window's database worker does, right after handing over the result).
        Durability is the same as FULL once sync() returns; only the wait moves off the GUI."""
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.deferred = True
        self._synced_changes = self.conn.total_changes

    def sync(self) -> None:
        """fsync the WAL if a deferred commit changed anything since the last sync."""
        if not self.deferred or self.conn.total_changes == self._synced_changes:
            return
        self._synced_changes = self.conn.total_changes
        fd = os.open(f"{self.path}-wal", os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

    def integrity_ok(self) -> bool:
        """SQLite's quick check: True when the file's structure is sound."""
        return self.conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"

    def close(self, *, checkpoint: bool = True) -> None:
        """Checkpoint the WAL into the main file and close.

        ``checkpoint=False`` is for a file found damaged: nothing more is copied into it. SQLite
        checkpoints when the last connection closes, so a read-only connection (which never
        checkpoints) stays open over that moment and closes last.
        """
        guard: sqlite3.Connection | None = None
        self.deferred = False  # the checkpoint syncs the WAL first; sync() is now a no-op
        try:
            if checkpoint:
                self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            else:
                guard = _read_only_guard(self.path)
        finally:
            if self._engine is not None:
                self._engine.dispose()
            self.conn.close()
            if guard is not None:
                guard.close()


def _read_only_guard(path: Path) -> sqlite3.Connection | None:
    """A read-only connection holding the file open (None when even that cannot open it)."""
    try:
        guard = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    with contextlib.suppress(sqlite3.Error):  # a damaged schema: it still holds the file
        guard.execute("SELECT count(*) FROM sqlite_master").fetchone()
    return guard


def _schema_ddl(only: tuple[str, ...] | None = None) -> list[str]:
    """CREATE statements for the SQLModel tables, so they run inside our own transaction."""
    from sqlalchemy.dialects import sqlite as sqlite_dialect
    from sqlalchemy.schema import CreateIndex, CreateTable
    from sqlmodel import SQLModel

    import studyapp.core.storage.schema  # noqa: F401  (registers the tables)

    dialect = sqlite_dialect.dialect()
    out: list[str] = []
    for table in SQLModel.metadata.sorted_tables:
        if only is not None and table.name not in only:
            continue
        out.append(str(CreateTable(table).compile(dialect=dialect)))
        out.extend(str(CreateIndex(index).compile(dialect=dialect)) for index in table.indexes)
    return out
