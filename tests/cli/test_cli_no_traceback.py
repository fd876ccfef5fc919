"""The command line never shows a traceback (issue 11 §5).

Every sub-command, found by walking the argparse tree (so a new command is covered without
editing this file), runs as a real process against each state a user can meet: the window
open, another import running, a damaged, newer or lost collection, an empty ``--data-dir``, a
file for a folder, a read-only folder, a full disk, and the output closed early (``| head``).
Each run must end with a documented exit status and, when it fails, one line on stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest

from studyapp.cli import EXIT_CODES, build_parser
from studyapp.core.collection import Collection
from studyapp.core.decks.sync import sync_deck_folders
from studyapp.core.storage.backups import Backups
from studyapp.core.storage.instance_lock import InstanceLock
from tests.core.fs_helpers import ROOT, damage_table, fill, read_only, small_disk, studyapp

SOLUTION = ROOT / "exercises" / "numpy-ml" / "softmax" / "solution.py"

#: Values for the positionals and required options of the commands that exist today; any
#: other (a new command's) gets a path in the test's folder.
VALUES = {
    "slug": "softmax",
    "file": "{tmp}/missing.studyapp-backup",
    "path": "{tmp}/cards.csv",
    "deck_key": "alpha",
    "dest": "{tmp}/out.studyapp-backup",
    "--png": "{tmp}/stats.png",
    "--to": "{tmp}/out.md",
}
#: Commands that never read the data folder (they run before it is even resolved): once, in
#: the closed-pipe test, not in every state.
DATA_FREE = {("drill", "verify"), ("check", "decks"), ("decks", "check")}
#: In these states the data folder cannot be used: every command that opens the collection
#: must refuse (exit 2). A damaged page is found by SQLite only when a command reads it.
UNUSABLE = {"newer", "garbage_version", "lost", "read_only", "data_dir_empty", "data_dir_file"}
OPENS_COLLECTION = {("decks", "list"), ("drill", "list"), ("drill", "run"), ("stats",), ("import",)}


def leaf_commands(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()) -> Iterator:
    """Every runnable sub-command as (words, arguments for its required inputs)."""
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        if prefix:
            yield prefix, _required_arguments(parser)
        return
    for name, child in subs[0].choices.items():
        yield from leaf_commands(child, (*prefix, name))


def _required_arguments(parser: argparse.ArgumentParser) -> list[str]:
    out: list[str] = []
    for action in parser._actions:
        if not action.option_strings and action.nargs not in ("*", "?"):
            out.append(VALUES.get(action.dest, "{tmp}/" + action.dest))
        elif action.option_strings and action.required:
            out += [action.option_strings[0], VALUES.get(action.option_strings[0], "{tmp}/x")]
    return out


COMMANDS = list(leaf_commands(build_parser()))


def test_the_walk_finds_every_command() -> None:
    names = {" ".join(words) for words, _ in COMMANDS}
    assert {"decks list", "drill run", "backup create", "import", "export collection"} <= names
    assert {"stats", "check decks", "drill list", "backup restore", "export deck"} <= names


def test_help_documents_the_exit_codes() -> None:
    out = studyapp("--help")
    assert out.returncode == 0
    text = " ".join(out.stdout.split())
    for code in EXIT_CODES:
        assert f"{code} " in text


# ---------------------------------------------------------------------- the states
def _collection(data: Path, decks: Path) -> Path:
    col = Collection.open(data)
    try:
        sync_deck_folders(col, [decks])
        card = col.next_card()
        assert card is not None
        col.answer(card, 5)
    finally:
        col.close()
    Backups(data).create("manual")
    return data / "collection.sqlite"


def _set_version(path: Path, value: str) -> None:
    conn = sqlite3.connect(path)
    conn.execute("UPDATE meta SET value=? WHERE key='schema_version'", (value,))
    conn.commit()
    conn.close()


@contextmanager
def state(name: str, tmp: Path, decks: Path) -> Iterator[list[str]]:
    """Put the data folder in state ``name``; yields the ``--data-dir`` arguments."""
    data = tmp / "data"
    with ExitStack() as stack:
        if name == "full_disk":
            stack.enter_context(small_disk(data, "6m"))
        path = _collection(data, decks)
        if name == "window_open":
            stack.enter_context(InstanceLock(data))
        elif name == "import_running":
            stack.enter_context(InstanceLock(data, "'studyapp import'"))
        elif name == "damaged":
            damage_table(path)
        elif name == "newer":
            _set_version(path, "99")
        elif name == "garbage_version":
            _set_version(path, "three")
        elif name == "lost":
            path.write_bytes(b"")
        elif name == "read_only":
            (data / "studyapp.lock").unlink(missing_ok=True)
            stack.enter_context(read_only(data))
        elif name == "full_disk":
            stack.enter_context(_removed(fill(data)))
        if name == "data_dir_empty":
            yield ["--data-dir", ""]
        elif name == "data_dir_file":
            (tmp / "a-file").write_text("not a folder")
            yield ["--data-dir", str(tmp / "a-file")]
        else:
            yield ["--data-dir", str(data)]


@contextmanager
def _removed(path: Path) -> Iterator[Path]:
    try:
        yield path
    finally:
        path.unlink(missing_ok=True)


STATES = [  # a healthy folder: see the closed-pipe test, which runs every command on one
    "window_open",
    "import_running",
    "damaged",
    "newer",
    "garbage_version",
    "lost",
    "data_dir_empty",
    "data_dir_file",
    "read_only",
    "full_disk",
]


def _check(words: tuple[str, ...], run: subprocess.CompletedProcess[str]) -> None:
    where = f"studyapp {' '.join(words)} -> {run.returncode}\n{run.stdout[-2000:]}\n{run.stderr}"
    # (A drill report on stdout may quote the learner's own traceback: that is its content.)
    assert "Traceback" not in run.stderr, where
    assert run.returncode in EXIT_CODES, where
    if run.returncode in (2, 3):
        lines = [x for x in run.stderr.splitlines() if not x.startswith("warning:")]
        assert len(lines) == 1 and lines[0].startswith("studyapp: "), where


@pytest.mark.parametrize("name", STATES)
def test_every_command_in_every_state_ends_without_a_traceback(
    name: str, tmp_path: Path, decks_dir: Path
) -> None:
    (tmp_path / "cards.csv").write_text("front,back\nq,a\n", encoding="utf-8")
    with state(name, tmp_path, decks_dir) as data_args:
        todo = [(w, a) for w, a in COMMANDS if w not in DATA_FREE]

        def run(item: tuple[tuple[str, ...], list[str]]) -> subprocess.CompletedProcess[str]:
            words, arguments = item
            return studyapp(*data_args, *words, *(a.format(tmp=tmp_path) for a in arguments))

        with ThreadPoolExecutor(max_workers=3) as pool:  # mostly waiting on interpreters
            runs = list(pool.map(run, todo))
    for (words, _), result in zip(todo, runs, strict=True):
        _check(words, result)
        if name in UNUSABLE and words in OPENS_COLLECTION:
            assert result.returncode == 2, (words, result.stderr)


@pytest.mark.parametrize("words", [w for w, _ in COMMANDS], ids=" ".join)
def test_a_closed_output_pipe_is_not_a_traceback(
    words: tuple[str, ...], tmp_path: Path, decks_dir: Path
) -> None:
    (tmp_path / "cards.csv").write_text("front,back\nq,a\n", encoding="utf-8")
    arguments = dict(COMMANDS)[words]
    data = tmp_path / "data"
    _collection(data, decks_dir)
    proc = subprocess.Popen(
        [sys.executable, "-m", "studyapp", "--data-dir", str(data), *words]
        + [a.format(tmp=tmp_path) for a in arguments],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=os.environ.copy(),
    )
    proc.stdout.close()  # like `| head -0`: the reader is gone before the first line
    with proc:
        stderr = proc.stderr.read()
        proc.wait(timeout=300)
    _check(words, subprocess.CompletedProcess(proc.args, proc.returncode, "", stderr))
    assert "BrokenPipe" not in stderr


# ---------------------------------------------------------------------- what must work
def test_drills_work_while_the_window_is_open(tmp_path: Path, decks_dir: Path) -> None:
    with state("window_open", tmp_path, decks_dir) as data_args:
        listed = studyapp(*data_args, "drill", "list", "--json")
        assert listed.returncode == 0, listed.stderr
        assert any(json.loads(x)["key"] == "numpy-ml/softmax" for x in listed.stdout.splitlines())
        run = studyapp(*data_args, "drill", "run", "softmax", "--code", str(SOLUTION))
        assert run.returncode == 0, run.stdout + run.stderr
        assert run.stdout.startswith("PASSED")


def test_import_while_another_import_runs_says_to_wait(tmp_path: Path, decks_dir: Path) -> None:
    (tmp_path / "cards.csv").write_text("front,back\nq,a\n", encoding="utf-8")
    with state("import_running", tmp_path, decks_dir) as data_args:
        out = studyapp(*data_args, "import", str(tmp_path / "cards.csv"))
    assert out.returncode == 2
    assert "'studyapp import'" in out.stderr and "wait" in out.stderr
    assert "Switch to that window" not in out.stderr


def test_a_missing_code_file_is_one_line(tmp_path: Path) -> None:
    out = studyapp("--data-dir", str(tmp_path), "drill", "run", "softmax", "--code", "nope.py")
    assert out.returncode == 2
    assert out.stderr.strip() == "studyapp: cannot read --code nope.py: No such file or directory"


@pytest.mark.parametrize("value", ["", "a-file"])
def test_a_bad_data_dir_is_one_line(tmp_path: Path, value: str) -> None:
    if value:
        (tmp_path / value).write_text("x")
        value = str(tmp_path / value)
    out = studyapp("--data-dir", value, "decks", "list")
    assert out.returncode == 2 and len(out.stderr.splitlines()) == 1
    assert ("empty" if not value else "is a file") in out.stderr
