"""Where the app keeps its data, and how to point it elsewhere.

Order: ``--data-dir`` on the command line, then ``STUDYAPP_DATA_DIR``, then the platform's user
data folder (platformdirs: ``~/.local/share/StudyApp`` on Linux).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

__all__ = ["DATA_DIR_ENV", "DataPaths", "is_live_collection_file", "resolve_data_dir"]

DATA_DIR_ENV = "STUDYAPP_DATA_DIR"


def resolve_data_dir(cli_value: str | os.PathLike[str] | None = None) -> Path:
    """The data folder to use, from the command line, the environment or the platform default.

    Raises DataFolderError for an empty ``--data-dir`` (a script's unset variable: silently using
    the default folder would write somebody's real collection) or a path that is a file.
    """
    from studyapp.core.errors import DataFolderError

    if cli_value is not None and not os.fspath(cli_value).strip():
        raise DataFolderError("--data-dir is empty: give the path of a folder")
    if cli_value:
        folder = Path(cli_value).expanduser().resolve()
    elif os.environ.get(DATA_DIR_ENV):
        folder = Path(os.environ[DATA_DIR_ENV]).expanduser().resolve()
    else:
        import platformdirs  # only needed for the default

        folder = Path(platformdirs.user_data_dir("StudyApp", appauthor=False))
    if folder.exists() and not folder.is_dir():
        raise DataFolderError(f"the data folder {folder} is a file, not a folder")
    return folder


@dataclass(frozen=True, slots=True)
class DataPaths:
    """The files and folders inside one data folder."""

    root: Path

    @property
    def collection(self) -> Path:
        return self.root / "collection.sqlite"

    @property
    def user_decks(self) -> Path:
        """Your own decks, synced next to the bundled ones."""
        return self.root / "decks"

    @property
    def backups(self) -> Path:
        """Compressed snapshots of the collection (see ``studyapp.core.storage.backups``)."""
        return self.root / "backups"

    @property
    def history_marker(self) -> Path:
        """Written once the collection holds answers or drill attempts: a missing or empty
        collection file in a folder that has it is a lost collection, not a first start."""
        return self.root / "collection.history"

    @property
    def media(self) -> Path:
        """Images that imported cards show, referenced from card text by file name."""
        return self.root / "media"

    @property
    def math_cache(self) -> Path:
        """Rendered formulas, so matplotlib is not imported for a formula seen before."""
        return self.root / "cache" / "math"


def is_live_collection_file(path: Path, collection: Path) -> bool:
    """True when ``path`` is the collection file or one of SQLite's files beside it (WAL,
    shared memory, journal), by name or through a link: exporting onto one would replace the
    live collection, importing from one would read a file that is being written."""
    path, collection = Path(path), Path(collection)
    live = [collection] + [Path(f"{collection}{s}") for s in ("-wal", "-shm", "-journal")]
    try:
        target = path.expanduser().resolve()
    except OSError:
        return False
    for candidate in live:
        if target == candidate.resolve():
            return True
        try:
            if path.exists() and candidate.exists() and path.samefile(candidate):
                return True
        except OSError:
            continue
    return False
