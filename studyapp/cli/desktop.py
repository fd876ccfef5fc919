"""``studyapp install-desktop-entry``: put StudyApp in the desktop's application menu.

Why a command: pip and pipx install console scripts, not menu entries, so a wheel install has no
icon in the launcher. This copies the bundled freedesktop entry and icons (the wheel carries them,
see :mod:`studyapp.resources`) into the user's data folder, where every freedesktop desktop looks:
``$XDG_DATA_HOME/applications`` and the ``hicolor`` icon theme under ``$XDG_DATA_HOME/icons``.
``Exec`` names the absolute path of the ``studyapp`` script when it can be found, because a
launcher's ``PATH`` often lacks ``~/.local/bin`` or the venv's ``bin``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path
from typing import Any

from studyapp.cli.common import CommandFailed

__all__ = ["add_parsers", "desktop_exec", "install", "xdg_data_home"]

#: The name of the entry and of the icon in the theme (``Icon=studyapp``).
APP_ID = "studyapp"
#: The key our entry carries, so a later run knows the file is ours to replace (a user's own
#: ``studyapp.desktop`` is never overwritten).
OURS_KEY = "X-StudyApp-Installed-By"
#: Characters that make an ``Exec`` argument need quotes (Desktop Entry Specification, "Exec").
_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


def add_parsers(sub: Any) -> None:
    entry = sub.add_parser(
        "install-desktop-entry",
        help="add StudyApp and its icon to the desktop's application menu (for this user)",
    )
    entry.add_argument(
        "--prefix",
        type=Path,
        metavar="DIR",
        help="install under DIR (DIR/applications, DIR/icons) instead of $XDG_DATA_HOME "
        "(default ~/.local/share)",
    )
    entry.set_defaults(handler=_install_desktop_entry)


def xdg_data_home() -> Path:
    """``$XDG_DATA_HOME``, or ``~/.local/share`` when it is unset or not absolute (as the
    XDG Base Directory Specification says)."""
    value = os.environ.get("XDG_DATA_HOME", "")
    if value and Path(value).is_absolute():
        return Path(value)
    return Path.home() / ".local" / "share"


def studyapp_script() -> Path | None:
    """The installed ``studyapp`` console script: the one running now, the one beside this
    Python (a venv or pipx), else the first on ``PATH``; None when there is none."""
    candidates = [Path(sys.argv[0]), Path(sys.executable).parent / APP_ID]
    found = shutil.which(APP_ID)
    if found:
        candidates.append(Path(found))
    for path in candidates:
        if path.name == APP_ID and path.is_file() and os.access(path, os.X_OK):
            return path.absolute()
    return None


def desktop_exec(script: Path | None) -> str:
    """The ``Exec`` value that starts ``script`` (``studyapp`` from ``PATH`` when None), quoted
    and escaped as the Desktop Entry Specification asks."""
    if script is None:
        return APP_ID
    argument = str(script)
    if _RESERVED & set(argument):
        escaped = "".join("\\" + c if c in '"`$\\' else c for c in argument)
        argument = f'"{escaped}"'
    # The value is itself a string in the key file: its backslashes are escaped once more.
    return argument.replace("\\", "\\\\").replace("%", "%%")


def _entry_text(template: str, exec_value: str) -> str:
    lines = [
        f"Exec={exec_value}" if line.startswith("Exec=") else line for line in template.splitlines()
    ]
    return "\n".join([*lines, f"{OURS_KEY}=studyapp install-desktop-entry"]) + "\n"


def _refuse_foreign(entry: Path, sources: dict[Path, Path]) -> None:
    """Raise :class:`CommandFailed` (status 1, nothing written) when a target exists and was not
    written by this command: an entry without our key, or (when there is no entry of ours) an icon
    that differs from the bundled one."""
    if entry.exists():
        if f"{OURS_KEY}=" not in entry.read_text(encoding="utf-8", errors="replace"):
            foreign = [entry]
        else:
            return  # ours: its icons are ours too
    else:
        foreign = [t for t, s in sources.items() if t.exists() and t.read_bytes() != s.read_bytes()]
    if foreign:
        raise CommandFailed(
            f"{foreign[0]} exists and was not installed by StudyApp; nothing was changed "
            "(move it away, or choose another --prefix)",
            status=1,
        )


def _write(target: Path, data: bytes) -> None:
    """Write ``target`` whole or not at all: a launcher never reads half an entry."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    try:
        partial.write_bytes(data)
        partial.chmod(0o644)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def install(prefix: Path, script: Path | None) -> list[Path]:
    """Install the entry and the icons under ``prefix``; return the files written, in order.

    Raises :class:`CommandFailed` (status 2) when the bundled files are missing: the
    installation is incomplete, and nothing is written then.
    """
    from studyapp.resources import ICON_SIZES, bundled

    template = bundled("desktop") / f"{APP_ID}.desktop"
    icons = bundled("icons")
    sources = {
        prefix / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png": icons
        / f"{APP_ID}-{size}.png"
        for size in ICON_SIZES
    }
    sources[prefix / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"] = (
        icons / f"{APP_ID}.svg"
    )
    missing = [str(path) for path in (template, *sources.values()) if not path.is_file()]
    if missing:
        raise CommandFailed(
            f"the installation lacks its bundled desktop files ({', '.join(missing)}); "
            "reinstall StudyApp"
        )
    entry = prefix / "applications" / f"{APP_ID}.desktop"
    _refuse_foreign(entry, sources)
    written = []
    for target, source in sources.items():
        _write(target, source.read_bytes())
        written.append(target)
    text = _entry_text(template.read_text(encoding="utf-8"), desktop_exec(script))
    _write(entry, text.encode("utf-8"))
    written.append(entry)
    return written


def _install_desktop_entry(args: argparse.Namespace) -> int:
    prefix = (args.prefix or xdg_data_home()).expanduser().absolute()
    try:
        written = install(prefix, studyapp_script())
    except OSError as exc:
        where = exc.filename or prefix
        raise CommandFailed(
            f"cannot install the desktop entry in {prefix}: {where}: {exc.strerror or exc}", 3
        ) from exc
    for path in written:
        print(path)
    return 0
