"""The command line: ``studyapp`` opens the window; sub-commands script the collection headless.

Why argparse and lazy imports: ``studyapp --version`` and ``studyapp decks list`` must not pay for
Qt, and the window must not pay for anything it does not show first. One module per command
group adds its parsers and sets each action's ``handler``; :func:`main` turns every expected
failure into one line and an exit status of :data:`EXIT_CODES`.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import os
import sqlite3
import sys
from collections.abc import Sequence
from typing import Any

from studyapp.cli import backup, decks, desktop, drills, stats, transfer
from studyapp.cli.common import CommandFailed, data_dir, one_line

__all__ = ["EXIT_CODES", "build_parser", "main"]

#: What each exit status means (also in ``studyapp --help``).
EXIT_CODES = {
    0: "success",
    1: "a check or drill run did not pass, or a file was refused (nothing was changed)",
    2: "the command line, the data folder or the collection cannot be used (damaged, from a "
    "newer StudyApp, missing, busy, read-only); the message says which",
    3: "the disk is full, or another system error while reading or writing a file",
    130: "interrupted (Ctrl+C)",
    141: "the output was closed early (e.g. piped into head)",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="studyapp",
        description="Offline study app for ML interviews: SM-2 flashcards in one window.",
        epilog="exit status: "
        + "; ".join(f"{code} {meaning}" for code, meaning in EXIT_CODES.items()),
    )
    parser.add_argument(
        "--version", action=_VersionAction, help="show the installed version and exit"
    )
    parser.add_argument(
        "--data-dir",
        metavar="PATH",
        help="use the collection in PATH (default: $STUDYAPP_DATA_DIR, else the user data folder)",
    )
    parser.add_argument("--bench-first-paint", action="store_true", help=argparse.SUPPRESS)
    parser.set_defaults(handler=_run_window)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for group in (decks, drills, backup, stats, transfer, desktop):
        group.add_parsers(sub)
    return parser


class _VersionAction(argparse.Action):
    """``--version``: the version is read from the package metadata only when asked for."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        from studyapp import version

        print(f"StudyApp {version()}")  # on stdout, as argparse's own version action does
        parser.exit()


def _run_window(args: argparse.Namespace) -> int:
    from studyapp.ui.app import run_app

    return run_app(data_dir(args), bench_first_paint=args.bench_first_paint)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``studyapp`` console script and ``python -m studyapp``.

    Every expected failure becomes one line on stderr and an exit status of
    :data:`EXIT_CODES`; a traceback is left only for a real bug.
    """
    args = build_parser().parse_args(argv)
    try:
        code: int = args.handler(args)
        sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's last flush
        return code
    except BrokenPipeError:
        # The reader (e.g. ``| head``) has gone: stop quietly, and let the interpreter's
        # final flush write to /dev/null instead of raising again.
        with contextlib.suppress(OSError, ValueError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        return 141
    except KeyboardInterrupt:
        print("studyapp: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        line, code = _failure(exc)
        if line is None:
            raise
        print(f"studyapp: {line}", file=sys.stderr)
        return code


def _failure(exc: BaseException) -> tuple[str | None, int]:
    """The one line and exit status for an expected failure; (None, 0) for a bug."""
    from studyapp.core.errors import CollectionError
    from studyapp.core.storage.backups import DamagedCollectionError

    if isinstance(exc, CommandFailed):
        return one_line(str(exc)), exc.status
    if isinstance(exc, DamagedCollectionError):
        return one_line(f"{exc} {exc.advice()}"), 2
    if isinstance(exc, CollectionError):
        return one_line(str(exc)), 2
    if isinstance(exc, sqlite3.OperationalError) and "full" in str(exc):
        return "the disk is full; nothing more was written (" + str(exc) + ")", 3
    if isinstance(exc, sqlite3.DatabaseError):
        return one_line(f"the collection cannot be read or written: {exc}"), 2
    if isinstance(exc, OSError):
        where = f"{exc.filename}: " if exc.filename else ""
        if exc.errno == errno.ENOSPC:
            return f"the disk is full; nothing more was written ({where}{exc.strerror})", 3
        return one_line(f"{where}{exc.strerror or exc}"), 3
    return None, 0
