"""Backups of the collection: consistent compressed snapshots, rotation, restore, start-up check.

Why the SQLite online backup API from a separate read connection: it copies a consistent snapshot
(one read transaction) even while the app has the file open in WAL mode and keeps answering, and it
never writes to the source. The snapshot is switched to a rollback journal so it is one
self-contained file, then gzip-compressed (collections are mostly text and shrink several times).

Format: a ``*.studyapp-backup`` file is a gzip-compressed SQLite collection file; ``gunzip -c``
gives a file ``sqlite3`` or StudyApp opens directly.
"""

from __future__ import annotations

import gzip
import os
import shutil
import sqlite3
from pathlib import Path

__all__ = ["BACKUP_SUFFIX", "write_backup_file"]

#: The extension of every backup file (a gzip-compressed SQLite file).
BACKUP_SUFFIX = ".studyapp-backup"

_COPY_CHUNK = 1 << 20


def _connect_read_only(path: Path) -> sqlite3.Connection:
    """A connection that never writes to ``path`` (and never creates it)."""
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=5.0)


def _fsync_dir(folder: Path) -> None:
    """Make a rename durable; a no-op where directories cannot be opened (Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - Windows
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_backup_file(collection_path: Path, dest: Path) -> Path:
    """Write a consistent, gzip-compressed snapshot of the collection to ``dest``; return ``dest``.

    Safe while the app has the collection open (WAL): the copy comes from its own read
    connection. The file is written under a temporary name and renamed, so a crash never leaves a
    half-written backup under ``dest``. Raises FileNotFoundError when there is no collection and
    sqlite3.DatabaseError when it cannot be read.
    """
    collection_path, dest = Path(collection_path), Path(dest)
    if not collection_path.is_file():
        raise FileNotFoundError(f"there is no collection at {collection_path}")
    dest.parent.mkdir(parents=True, exist_ok=True)
    snapshot = dest.with_name(f".{dest.name}.snapshot")
    partial = dest.with_name(f".{dest.name}.partial")
    try:
        source = _connect_read_only(collection_path)
        try:
            target = sqlite3.connect(snapshot)
            try:
                source.backup(target)  # all pages in one step: one read transaction
                target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            finally:
                target.close()
        finally:
            source.close()
        with snapshot.open("rb") as raw, gzip.open(partial, "wb", compresslevel=6) as packed:
            shutil.copyfileobj(raw, packed, _COPY_CHUNK)
        with partial.open("rb+") as done:
            os.fsync(done.fileno())
        os.replace(partial, dest)
        _fsync_dir(dest.parent)
    finally:
        for leftover in (snapshot, partial):
            leftover.unlink(missing_ok=True)
    return dest
