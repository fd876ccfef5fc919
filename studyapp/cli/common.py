"""What every sub-command shares: where the data folder is, and one policy for opening it.

Why one policy: a command meets a folder that is free, or one the window (or another command)
holds. Before, each command group decided on its own; now :func:`open_collection` decides for all:

- ``"read"``: only reads; never takes the folder's lock (works while the window is open) and
  never creates a collection.
- ``"shared"``: holds the folder when it is free — then the deck files are synced first, if the
  command asks — and otherwise works beside its holder, each change in its own short SQLite
  transaction (drill attempts, exports).
- ``"exclusive"``: needs the folder to itself (an import); a busy folder is refused with one line
  that says what holds it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from studyapp.core.collection import Collection

__all__ = ["Access", "CommandFailed", "data_dir", "one_line", "open_collection", "warn"]

Access = Literal["read", "shared", "exclusive"]


class CommandFailed(Exception):
    """An expected failure of a command: ``studyapp: <message>`` on stderr, exit ``status``."""

    def __init__(self, message: str, status: int = 2) -> None:
        super().__init__(message)
        self.status = status


def data_dir(args: argparse.Namespace) -> Path:
    """The data folder the command works on (``--data-dir``, the variable, or the default)."""
    from studyapp.core.storage.paths import resolve_data_dir

    return resolve_data_dir(args.data_dir)


def one_line(text: str) -> str:
    return " ".join(text.split())


def warn(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr)


@contextmanager
def open_collection(
    folder: Path, command: str, access: Access, *, sync_decks: bool = False
) -> Iterator[Collection]:
    """The collection in ``folder`` for ``studyapp <command>``, opened by ``access`` (above),
    closed when the block ends."""
    from studyapp.core.collection import Collection
    from studyapp.core.errors import AlreadyRunningError
    from studyapp.core.storage.backups import had_collection
    from studyapp.core.storage.paths import DataPaths

    paths = DataPaths(folder)
    held = False
    if access == "read":
        if not paths.collection.exists() and not had_collection(folder):
            raise CommandFailed(f"no collection in {folder} (see --data-dir)")
        collection = Collection.open(folder, lock=False)
    else:
        try:
            collection = Collection.open(folder, purpose=f"'studyapp {command}'")
            held = True
        except AlreadyRunningError:
            if access == "exclusive":
                raise  # its message says what holds the folder: close it, or wait
            collection = Collection.open(folder, lock=False)
    try:
        if held and sync_decks:
            _sync_deck_files(collection, paths.user_decks)
        yield collection
    finally:
        collection.close()


def _sync_deck_files(collection: Collection, user_decks: Path) -> None:
    from studyapp.core.decks.sync import bundled_decks_dir, sync_deck_folders

    report = sync_deck_folders(collection, [bundled_decks_dir(), user_decks])
    for problem in report.problems:
        warn(str(problem))
