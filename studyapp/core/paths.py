"""Where the app keeps its data, and how to point it elsewhere.

Order: ``--data-dir`` on the command line, then ``STUDYAPP_DATA_DIR``, then the platform's user
data folder (platformdirs: ``~/.local/share/StudyApp`` on Linux).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

__all__ = ["DATA_DIR_ENV", "DataPaths", "resolve_data_dir"]

DATA_DIR_ENV = "STUDYAPP_DATA_DIR"


def resolve_data_dir(cli_value: str | os.PathLike[str] | None = None) -> Path:
    """The data folder to use, from the command line, the environment or the platform default."""
    if cli_value:
        return Path(cli_value).expanduser().resolve()
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env).expanduser().resolve()
    import platformdirs  # only needed for the default

    return Path(platformdirs.user_data_dir("StudyApp", appauthor=False))


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
        """Compressed snapshots of the collection (see ``studyapp.core.backups``)."""
        return self.root / "backups"

    @property
    def media(self) -> Path:
        """Images that imported cards show, referenced from card text by file name."""
        return self.root / "media"

    @property
    def math_cache(self) -> Path:
        """Rendered formulas, so matplotlib is not imported for a formula seen before."""
        return self.root / "cache" / "math"
