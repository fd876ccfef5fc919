"""One logging set-up for the app and the command line (pure Python, no Qt).

Why: a background job that fails in the window used to leave only a one-line status message; the
traceback is what a bug report needs. ``setup_logging`` sends every ``studyapp.*`` record to a
rotating file in the data folder (``logs/studyapp.log``) and warnings and errors also to stderr,
so a command-line user sees them in the terminal. Calling it again (a second window in tests,
another data folder) replaces the handlers it made instead of adding more.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path

__all__ = ["LOGGER_NAME", "log_file", "setup_logging"]

#: The package's logger; modules log through ``logging.getLogger(__name__)`` below it.
LOGGER_NAME = "studyapp"

#: One file of this size is kept, plus this many older ones (``studyapp.log.1`` …).
MAX_BYTES = 1_000_000
BACKUP_COUNT = 3

_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s]: %(message)s"

#: Marks the handlers this module installed, so a second call can remove exactly those.
_OURS = "_studyapp_handler"


def log_file(data_dir: Path) -> Path:
    """Where the log of the app working on ``data_dir`` is written."""
    return data_dir / "logs" / "studyapp.log"


def setup_logging(
    data_dir: Path | None, *, stderr_level: int | None = logging.WARNING
) -> Path | None:
    """Log ``studyapp.*`` to ``<data_dir>/logs/studyapp.log`` (INFO and up) and to stderr.

    Returns the log file, or None when there is none: no ``data_dir``, or its folder cannot be
    written (a read-only data folder is reported by the caller; logging must not crash first).
    ``stderr_level=None`` leaves stderr alone.
    """
    logger = logging.getLogger(LOGGER_NAME)
    for handler in [h for h in logger.handlers if getattr(h, _OURS, False)]:
        logger.removeHandler(handler)
        handler.close()
    logger.setLevel(logging.INFO)
    formatter = logging.Formatter(_FORMAT)
    if stderr_level is not None:
        console = logging.StreamHandler(sys.stderr)
        console.setLevel(stderr_level)
        console.setFormatter(logging.Formatter("studyapp: %(levelname)s: %(message)s"))
        _install(logger, console)
    if data_dir is None:
        return None
    path = log_file(data_dir)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        to_file = logging.handlers.RotatingFileHandler(
            path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8", delay=True
        )
    except OSError as exc:
        logger.warning("no log file in %s: %s", path.parent, exc)
        return None
    to_file.setLevel(logging.INFO)
    to_file.setFormatter(formatter)
    _install(logger, to_file)
    return path


def _install(logger: logging.Logger, handler: logging.Handler) -> None:
    setattr(handler, _OURS, True)
    logger.addHandler(handler)
