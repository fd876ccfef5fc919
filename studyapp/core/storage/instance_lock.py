"""One app instance per data folder.

Why a lock file with ``flock`` and not a PID file: the kernel drops the lock when the process dies,
even by ``kill -9``, so a crash never leaves a stale lock that blocks the next start.
"""

from __future__ import annotations

import os
from pathlib import Path
from types import TracebackType

from studyapp.core.errors import AlreadyRunningError, DataFolderError

try:  # POSIX
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]
    import msvcrt

__all__ = ["InstanceLock"]

LOCK_NAME = "studyapp.lock"


class InstanceLock:
    """An exclusive, non-blocking lock on ``<data dir>/studyapp.lock``.

    ``purpose`` (e.g. "the window", "an import") is written beside the pid, so whoever finds the
    folder busy is told what holds it and whether waiting will help.
    """

    def __init__(self, data_dir: Path, purpose: str = "the StudyApp window") -> None:
        self.path = Path(data_dir) / LOCK_NAME
        self.purpose = purpose
        self._fd: int | None = None

    def acquire(self) -> InstanceLock:
        """Take the lock or raise AlreadyRunningError naming the folder and the holder."""
        fd = self._open()
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            else:  # pragma: no cover
                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            holder = os.pread(fd, 200, 0).decode(errors="replace").strip()
            os.close(fd)
            raise AlreadyRunningError(_busy_message(self.path.parent, holder)) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()} {self.purpose}".encode(), 0)
        self._fd = fd
        return self

    def _open(self) -> int:
        """The lock file's descriptor; a folder that cannot be written gets a clear message."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            return os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise DataFolderError(
                f"the data folder {self.path.parent} cannot be written "
                f"({exc.strerror or exc}), so StudyApp cannot use it; make it writable or "
                "choose another folder with --data-dir"
            ) from None

    def release(self) -> None:
        """Drop the lock (also dropped by the kernel when the process ends)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def __enter__(self) -> InstanceLock:
        return self.acquire()

    def __exit__(
        self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()


def _busy_message(folder: Path, holder: str) -> str:
    """Who holds the folder, in words that say what to do."""
    pid, _, purpose = holder.partition(" ")
    pid = pid or "unknown"
    if not purpose or purpose == "the StudyApp window":
        return (
            f"StudyApp is already running with the data folder {folder} "
            f"(process {pid}). Switch to that window, or start with another folder "
            "using --data-dir."
        )
    return (
        f"{purpose} (process {pid}) is using the data folder {folder}; "
        "wait until it has finished and try again."
    )
