"""StudyApp: offline study app for ML interviews.

``__version__`` comes from the installed package's metadata (``pyproject.toml`` is its only
source, so a release changes one line), read on first use: importing ``studyapp`` stays free, and
the drill worker, which imports the package too, never pays for it.
"""

from __future__ import annotations

from functools import cache

__all__ = ["__version__", "version"]

__version__: str  # computed on first use by __getattr__ below (PEP 562)


@cache
def version() -> str:
    """The installed version (``importlib.metadata``); from a source tree without metadata, the
    version in its ``pyproject.toml``; ``0+unknown`` when neither can be read."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed_version

    try:
        return installed_version("studyapp")
    except PackageNotFoundError:
        return _source_tree_version()


def _source_tree_version() -> str:
    import tomllib
    from pathlib import Path

    pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
    try:
        with pyproject.open("rb") as file:
            project = tomllib.load(file).get("project", {})
    except (OSError, tomllib.TOMLDecodeError):
        return "0+unknown"
    if project.get("name") == "studyapp" and isinstance(project.get("version"), str):
        return str(project["version"])
    return "0+unknown"


def __getattr__(name: str) -> str:
    if name == "__version__":
        return version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
