"""Deck files are read safely: regular files only, at most 5 MB, UTF-8 (a BOM is fine).

A FIFO named as a deck used to block `studyapp check decks` forever and a link to /dev/zero
grew it to gigabytes; the same reader serves the start-up deck sync.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
import tracemalloc
from pathlib import Path

import pytest

from studyapp.core.collection import Collection
from studyapp.core.decks.format import MAX_DECK_BYTES, load_decks
from studyapp.core.decks.sync import sync_deck_folders
from tests.conftest import FakeClock, deck_text

ROOT = Path(__file__).resolve().parents[3]
needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")


def _limit_memory() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (2 * 2**30, 2 * 2**30))


class _FifoWriter:
    """Opens the FIFO's writing end once a reader has it open, then closes it (EOF).

    Only code that opens the FIFO for reading needs this, and then it gets an empty file instead
    of waiting forever: so a reader that regresses fails the test rather than hanging it.
    """

    def __init__(self, fifo: Path) -> None:
        self._fifo = fifo
        self._stop = threading.Event()
        self.opened = False
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> _FifoWriter:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(0.01):
            try:
                fd = os.open(self._fifo, os.O_WRONLY | os.O_NONBLOCK)
            except OSError:  # ENXIO: nobody reads it
                continue
            self.opened = True
            os.close(fd)
            return


@needs_fifo
def test_a_fifo_named_as_a_deck_is_refused_without_opening_it(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    with _FifoWriter(fifo) as writer:
        load = load_decks([fifo])
    assert not writer.opened, "the FIFO was opened for reading"
    assert [str(p) for p in load.problems] == [
        f"{fifo}:1: not a regular file (a FIFO); a deck must be a plain .md file"
    ]


@needs_fifo
def test_special_files_in_a_deck_folder_are_reported_and_the_rest_syncs(tmp_path: Path) -> None:
    """The start-up path: the user's deck folder holds a FIFO, a link to /dev/zero, a BOM."""
    folder = tmp_path / "decks"
    folder.mkdir()
    os.mkfifo(folder / "pipe.md")
    (folder / "zero.md").symlink_to("/dev/zero")
    bom = "\ufeff" + deck_text("Windows", ["w1", "w2"])
    (folder / "windows.md").write_text(bom, encoding="utf-8")
    col = Collection.open(tmp_path / "data", clock=FakeClock())
    try:
        with _FifoWriter(folder / "pipe.md") as writer:
            report = sync_deck_folders(col, [folder])
        decks = {d.key: d.cards for d in col.decks()}
    finally:
        col.close()
    assert not writer.opened
    assert decks == {"windows": 2}
    assert sorted((p.path.name, p.line, p.message.split(";")[0]) for p in report.problems) == [
        ("pipe.md", 1, "not a regular file (a FIFO)"),
        ("zero.md", 1, "not a regular file (a character device)"),
    ]


def test_a_link_to_dev_zero_is_refused_before_reading(tmp_path: Path) -> None:
    """Run with a 1 GiB address-space limit, so that a regression fails instead of swapping."""
    link = tmp_path / "zero.md"
    link.symlink_to("/dev/zero")
    script = textwrap.dedent(
        f"""
        import json, resource
        from pathlib import Path
        resource.setrlimit(resource.RLIMIT_AS, (2**30, 2**30))
        from studyapp.core.decks.format import load_decks
        load = load_decks([Path({str(link)!r})])
        print(json.dumps([str(p) for p in load.problems]))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert json.loads(result.stdout) == [
        f"{link}:1: not a regular file (a character device); a deck must be a plain .md file"
    ]


def test_an_oversized_deck_is_refused_after_a_bounded_read(tmp_path: Path) -> None:
    big = tmp_path / "big.md"
    with big.open("wb") as fh:
        fh.write(deck_text("Big", ["b1"]).encode())
        fh.truncate(60 * 1024 * 1024)  # sparse: 60 MB that take no disk
    tracemalloc.start()
    try:
        load = load_decks([big])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 2 * MAX_DECK_BYTES, f"{peak / 2**20:.0f} MiB read"
    assert [str(p) for p in load.problems] == [
        f"{big}:1: the file is larger than 5 MB, the most a deck file may be; split it into "
        "several decks"
    ]
    assert load.decks == []


def test_a_deck_just_under_the_cap_loads(tmp_path: Path) -> None:
    path = tmp_path / "full.md"
    text = deck_text("Full", ["f1"])
    path.write_text(text + "\n" * (MAX_DECK_BYTES - len(text.encode())), encoding="utf-8")
    load = load_decks([path])
    assert load.problems == [] and [c.id for c in load.decks[0].cards] == ["f1"]


def test_a_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.md"
    path.write_bytes(b"\xef\xbb\xbf" + deck_text("Bom", ["x1"]).encode())
    load = load_decks([path])
    assert load.problems == []
    assert load.decks[0].title == "Bom" and [c.id for c in load.decks[0].cards] == ["x1"]


def test_invalid_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin.md"
    text = deck_text("Latin", ["l1"]).replace("Answer l1.", "Caf\udce9 answer.")
    path.write_bytes(text.encode("utf-8", "surrogateescape"))  # a lone Latin-1 byte
    line = text.splitlines().index("Caf\udce9 answer.") + 1
    load = load_decks([path])
    assert [str(p) for p in load.problems] == [
        f"{path}:{line}: line {line} is not valid UTF-8 (byte 0xe9 at column 4); save the file "
        "as UTF-8"
    ]


@needs_fifo
def test_check_decks_on_a_fifo_and_dev_zero_answers_at_once(tmp_path: Path) -> None:
    fifo, zero = tmp_path / "pipe.md", tmp_path / "zero.md"
    os.mkfifo(fifo)
    zero.symlink_to("/dev/zero")
    with _FifoWriter(fifo) as writer:
        out = subprocess.run(
            [sys.executable, "-m", "studyapp", "check", "decks", str(fifo), str(zero)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=120,
            preexec_fn=_limit_memory,  # a regression fails instead of filling the memory
        )
    assert not writer.opened
    assert out.returncode == 1 and out.stderr == ""
    assert out.stdout.splitlines() == [
        f"{fifo}:1: not a regular file (a FIFO); a deck must be a plain .md file",
        f"{zero}:1: not a regular file (a character device); a deck must be a plain .md file",
        "0 decks, 0 cards, 0 formulas, 2 problems, 0 warnings",
    ]
