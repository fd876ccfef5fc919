"""``studyapp backup create|list|restore`` on a real data folder, called as the console script."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from studyapp.cli import main
from studyapp.core.collection import Collection
from studyapp.core.storage.instance_lock import InstanceLock


def _answer_one(data_dir: Path) -> None:
    col = Collection.open(data_dir)
    try:
        card = col.next_card()
        assert card is not None
        col.answer(card, 5)
    finally:
        col.close()


def _reviews(data_dir: Path) -> int:
    col = Collection.open(data_dir)
    try:
        return col.answered_on(col.today())
    finally:
        col.close()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    assert main(["--data-dir", str(folder), "decks", "list", "--json"]) == 0  # bundled decks
    return folder


def test_create_list_and_restore(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["--data-dir", str(data_dir), "backup", "create"]) == 0
    made = Path(capsys.readouterr().out.strip())
    assert made.parent == data_dir / "backups" and made.is_file()

    _answer_one(data_dir)
    assert _reviews(data_dir) == 1

    assert main(["--data-dir", str(data_dir), "backup", "list", "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["file"] for r in rows] == [str(made)]
    assert rows[0]["ok"] and rows[0]["reason"] == "manual" and rows[0]["size"] > 0

    assert main(["--data-dir", str(data_dir), "backup", "restore", made.name]) == 0
    out = capsys.readouterr().out
    assert f"restored {made}" in out and "previous state backed up to" in out
    assert _reviews(data_dir) == 0

    assert main(["--data-dir", str(data_dir), "backup", "list"]) == 0
    listing = capsys.readouterr().out
    assert "before-restore" in listing and "manual" in listing
    assert f"folder: {data_dir / 'backups'}" in listing


def test_restore_refuses_a_bad_file_and_keeps_the_collection(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _answer_one(data_dir)
    bad = tmp_path / "bad.studyapp-backup"
    bad.write_bytes(b"not a backup")
    capsys.readouterr()
    assert main(["--data-dir", str(data_dir), "backup", "restore", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "bad.studyapp-backup" in err and "not changed" in err
    assert _reviews(data_dir) == 1
    assert not (data_dir / "backups").exists()  # nothing was backed up or replaced


def test_restore_refuses_while_the_app_is_running(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--data-dir", str(data_dir), "backup", "create"]) == 0
    made = Path(capsys.readouterr().out.strip())
    _answer_one(data_dir)
    with InstanceLock(data_dir):
        assert main(["--data-dir", str(data_dir), "backup", "restore", str(made)]) == 2
    assert "already running" in capsys.readouterr().err
    assert _reviews(data_dir) == 1


def test_create_without_a_collection_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--data-dir", str(tmp_path / "empty"), "backup", "create"]) == 2
    assert "no collection" in capsys.readouterr().err
