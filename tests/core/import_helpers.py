"""Helpers for import/export tests: a full dump of what an import may change."""

from __future__ import annotations

from pathlib import Path

from studyapp.core.collection import Collection
from studyapp.core.storage.paths import DataPaths


def dump(collection: Collection) -> dict[str, object]:
    """Every row of the tables an import writes, plus the media folder's files and bytes."""
    conn = collection.db.conn
    tables = {
        name: conn.execute(f"SELECT * FROM {name} ORDER BY 1").fetchall()
        for name in ("deck", "item", "review_log", "meta")
    }
    media = DataPaths(collection.path.parent).media
    files = {p.name: p.read_bytes() for p in sorted(media.iterdir())} if media.is_dir() else {}
    leftovers = sorted(p.name for p in collection.path.parent.iterdir() if p.name.startswith("."))
    return {**tables, "media": files, "scratch": leftovers}


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8", newline="")
    return path
