"""``studyapp stats --png FILE``: the overview image, rendered without a window."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from studyapp.core.collection import Collection
from studyapp.core.decks.sync import sync_deck_folders
from tests.conftest import FakeClock

ROOT = Path(__file__).resolve().parents[2]


def studyapp(*args: str) -> subprocess.CompletedProcess[str]:
    # No usable Qt platform: if the command touched a window, Qt would abort the process.
    env = {**os.environ, "QT_QPA_PLATFORM": "no-such-platform"}
    return subprocess.run(
        [sys.executable, "-m", "studyapp", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_stats_png_of_a_studied_collection(tmp_path: Path, decks_dir: Path) -> None:
    # The command reads the real clock, so the study happens in the last days before now.
    clock = FakeClock(datetime.now(UTC) - timedelta(days=3))
    collection = Collection.open(tmp_path / "data", clock=clock)
    assert sync_deck_folders(collection, [decks_dir]).problems == []
    for _day in range(3):
        while (card := collection.next_card()) is not None:
            collection.answer(card, 4 if card.is_redrill else 3, seconds=12.0)
        clock.advance(days=1)
    collection.close()  # the command opens the folder itself
    out_file = tmp_path / "stats.png"
    out = studyapp("--data-dir", str(tmp_path / "data"), "stats", "--png", str(out_file))
    assert out.returncode == 0, out.stderr
    # 5 new cards on day 0, the same 5 due on day 1 (then due in 6 days); re-drills apart.
    assert "10 reviews in the last 30 days" in out.stdout
    assert png_size(out_file) == (1400, 1900)
    assert out_file.stat().st_size > 40_000  # charts, not a blank page
    year = tmp_path / "year.png"
    out = studyapp(
        "--data-dir", str(tmp_path / "data"), "stats", "--png", str(year), "--days", "365"
    )
    assert out.returncode == 0, out.stderr
    assert png_size(year) == (1400, 1900)


def test_stats_png_refuses_a_missing_collection_and_a_bad_range(tmp_path: Path) -> None:
    out = studyapp("--data-dir", str(tmp_path / "nothing"), "stats", "--png", "x.png")
    assert out.returncode == 2 and "no collection in" in out.stderr
    assert not (tmp_path / "nothing").exists()  # nothing was created
    out = studyapp("stats", "--png", "x.png", "--days", "7")
    assert out.returncode == 2 and "invalid choice: 7" in out.stderr


def test_stats_png_of_an_empty_collection(tmp_path: Path) -> None:
    Collection.open(tmp_path / "data").close()
    out_file = tmp_path / "empty.png"
    out = studyapp("--data-dir", str(tmp_path / "data"), "stats", "--png", str(out_file))
    assert out.returncode == 0, out.stderr
    assert "0 reviews" in out.stdout and png_size(out_file) == (1400, 1900)
