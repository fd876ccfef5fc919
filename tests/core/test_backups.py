"""Backups: real collection files snapshotted, rotated, verified, restored and checked."""

from __future__ import annotations

import gzip
import sqlite3
from pathlib import Path

from studyapp.core.backups import write_backup_file
from studyapp.core.collection import Collection


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
