"""``studyapp backup create|list|restore``: snapshots of the collection, headless."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studyapp.cli.common import CommandFailed, data_dir, one_line

if TYPE_CHECKING:
    from studyapp.core.storage.backups import Backups

__all__ = ["add_parsers"]


def add_parsers(sub: Any) -> None:
    backup = sub.add_parser("backup", help="back up the collection, list or restore backups")
    backup_sub = backup.add_subparsers(dest="backup_command", metavar="ACTION", required=True)
    backup_sub.add_parser("create", help="back up now (safe while the app is open)").set_defaults(
        handler=_create
    )
    backup_list = backup_sub.add_parser("list", help="the backups, newest first")
    backup_list.add_argument("--json", action="store_true", help="one JSON object per line")
    backup_list.set_defaults(handler=_list)
    backup_restore = backup_sub.add_parser(
        "restore", help="replace the collection with a backup (the app must be closed)"
    )
    backup_restore.add_argument(
        "file", type=Path, help="a backup file, or the name of one in the backups folder"
    )
    backup_restore.set_defaults(handler=_restore)


def _backups(args: argparse.Namespace) -> Backups:
    from studyapp.core.storage.backups import Backups

    return Backups(data_dir(args))


def _create(args: argparse.Namespace) -> int:
    from studyapp.core.storage.backups import BackupError

    backups = _backups(args)
    try:
        made = backups.create("manual")
    except FileNotFoundError as exc:
        raise CommandFailed(str(exc)) from exc
    except BackupError as exc:
        newest = backups.newest_good_backup()
        good = f" The newest good backup is {newest.path.name}." if newest else ""
        raise CommandFailed(f"{one_line(str(exc))}.{good}") from exc
    print(made)
    return 0


def _restore(args: argparse.Namespace) -> int:
    from studyapp.core.errors import AlreadyRunningError
    from studyapp.core.storage.backups import BackupError
    from studyapp.core.storage.instance_lock import InstanceLock

    backups, file = _backups(args), args.file
    source = file if file.exists() or file.parent != Path() else backups.folder / file.name
    try:
        with InstanceLock(data_dir(args), "'studyapp backup restore'"):
            result = backups.restore(source)
    except AlreadyRunningError as exc:
        raise CommandFailed(f"{exc} Close the app before restoring.") from exc
    except BackupError as exc:
        raise CommandFailed(f"{exc}; the collection was not changed.", status=1) from exc
    print(f"restored {result.restored_from}")
    if result.previous is not None:
        kept = "damaged file kept as" if result.previous_damaged else "previous state backed up to"
        print(f"{kept} {result.previous}")
    return 0


def _list(args: argparse.Namespace) -> int:
    """Each backup with its full check's verdict (each is checked once, then remembered)."""
    backups = _backups(args)
    for b in backups.list(verify=True):
        when = b.created.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        if args.json:
            row = {"file": str(b.path), "created": b.created.isoformat(), "reason": b.reason}
            state = {"size": b.size, "ok": b.status != "damaged", "status": b.status}
            print(json.dumps({**row, **state, "problem": b.problem}))
        else:
            flag = f"  DAMAGED: {b.problem or 'unreadable'}" if b.status == "damaged" else ""
            print(f"{when}  {b.size:>10,} B  {b.reason:<15} {b.path.name}{flag}")
    if not args.json:
        print(f"folder: {backups.folder}")
    return 0
