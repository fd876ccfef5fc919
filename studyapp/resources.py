"""Where the bundled decks, exercises and translations are: one place, for a checkout and a wheel.

Why one module: the top-level ``decks/``, ``exercises/`` and ``resources/`` folders are part of
the project's design (authors edit them where they are), and the wheel maps them into the package
as ``studyapp/bundled/<name>`` (``pyproject.toml``, hatchling ``force-include``). Code asks here and
never builds such a path itself, so an editable install, a source checkout and a wheel installed
with pip or pipx all find the same content. Found through :mod:`importlib.resources`; the app
needs them as real folders (the drill worker reads exercise folders, Qt loads ``.qm`` files), which
every pip/pipx installation provides.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Literal

__all__ = ["ICON_SIZES", "Bundled", "bundled", "package_dir"]

Bundled = Literal["decks", "exercises", "i18n", "icons", "desktop"]

#: The sizes of ``icons/studyapp-<size>.png``, rendered from ``icons/studyapp.svg`` by
#: ``tools/render_icons.py``; the window and ``studyapp install-desktop-entry`` use them all.
ICON_SIZES = (16, 32, 48, 64, 128, 256)

#: Where each bundled folder sits in the source tree, relative to its top.
_SOURCE_TREE: dict[str, tuple[str, ...]] = {
    "decks": ("decks",),
    "exercises": ("exercises",),
    "i18n": ("resources", "i18n"),
    "icons": ("resources", "icons"),
    "desktop": ("resources", "desktop"),
}


def package_dir() -> Path:
    """The installed ``studyapp`` package folder (a child process puts its parent on its path)."""
    return Path(str(files("studyapp")))


def bundled(name: Bundled) -> Path:
    """The folder of bundled ``name`` content: inside the package when installed from a wheel,
    else in the source tree the package was imported from (a checkout or an editable install)."""
    inside = package_dir() / "bundled" / name
    if inside.is_dir():
        return inside
    return package_dir().parent.joinpath(*_SOURCE_TREE[name])
