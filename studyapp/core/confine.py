"""Confinement for a learner's process: fork a child that can reach its run folder and nothing else.

Why this module: the drill worker runs code the learner typed (or pasted). Reproduced against the
first edition, such code found the data folder through ``/proc/<ppid>/cmdline`` and emptied the
review log, read ``/etc/shadow``, opened TCP sockets, filled the disk outside its folder and left
``setsid`` processes running after the run. ``spawn`` forks a child that enters every protection
this machine offers before it calls the target, and ``probe`` says honestly which ones those are.

Pure Python, no Qt; Linux first, and on other systems each protection reports itself as inactive
instead of pretending.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "JailSpec",
    "Jailed",
    "Protection",
    "doctor_lines",
    "probe",
    "spawn",
    "summary",
]

#: Exit status of a child whose set-up failed before the target ran.
SETUP_FAILED = 121


@dataclass(frozen=True)
class Protection:
    """One protection and whether this machine enforces it for a run."""

    name: str  # "filesystem", "network", "processes", "disk", "user"
    active: bool
    detail: str


@dataclass
class JailSpec:
    """What a run may touch. Only ``run_dir`` is writable."""

    run_dir: Path
    read_paths: list[Path] = field(default_factory=list)
    disk_bytes: int = 64 * 2**20
    max_processes: int = 64
    allow_network: bool = False
    #: Heap growth allowed beyond what the forked child already maps (RLIMIT_DATA); None: no cap.
    memory_bytes: int | None = None


_PROBE: list[Protection] | None = None


def probe() -> list[Protection]:
    """What this machine can enforce for a run (cheap; cached; never forks)."""
    global _PROBE
    if _PROBE is None:
        _PROBE = [
            Protection("filesystem", False, "filesystem not restricted: not implemented yet"),
            Protection("network", False, "network not restricted: not implemented yet"),
            Protection(
                "processes",
                True,
                "own session, killed as a group (setsid escapees are not contained yet)",
            ),
            Protection("disk", True, "each file at most the run's cap (RLIMIT_FSIZE)"),
            Protection("user", os.geteuid() != 0, _user_detail_minimal()),
        ]
    return list(_PROBE)


def _user_detail_minimal() -> str:
    if os.geteuid() != 0:
        return f"runs as uid {os.geteuid()} (not root)"
    return "runs as root: uid not dropped yet"


def doctor_lines() -> list[str]:
    """One human line per protection, for ``studyapp drill doctor``."""
    return [f"{'on ' if p.active else 'OFF'}  {p.name:<10}  {p.detail}" for p in probe()]


def summary() -> str:
    """A short line for the Drills page, e.g. "Sandbox: files, network, processes, disk, user"."""
    short = {"filesystem": "files"}
    active = [short.get(p.name, p.name) for p in probe() if p.active]
    missing = [short.get(p.name, p.name) for p in probe() if not p.active]
    text = "Sandbox: " + (", ".join(active) if active else "none")
    if missing:
        text += " (not enforced: " + ", ".join(missing) + ")"
    return text


class Jailed:
    """The confined child of one run, seen from the trusted side."""

    def __init__(self, pid: int, spec: JailSpec) -> None:
        self.pid = pid
        self.spec = spec
        self._status: int | None = None

    def poll(self) -> int | None:
        """The exit status (``os.waitpid`` style), or None while the child runs."""
        if self._status is None:
            try:
                done, raw = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:  # reaped elsewhere: it is gone, say killed
                done, raw = self.pid, signal.SIGKILL
            if done:
                self._status = raw
        return self._status

    def wait(self, timeout: float | None = None) -> int | None:
        """Wait for the child's exit, at most ``timeout`` seconds (None: for ever)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() >= deadline:
                return None
            time.sleep(0.002)
        return self._status

    def kill_all(self) -> None:
        """SIGKILL every process of the run (its session/process group)."""
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, signal.SIGKILL)

    def rss_bytes(self) -> int:
        """Resident bytes of every process of the run (0 where /proc is unavailable)."""
        return sum(_rss_of(pid) for pid in _pids_in_group(self.pid))

    def disk_bytes(self) -> int:
        """Bytes allocated under the run folder (the size watch the supervisor polls)."""
        return _tree_bytes(self.spec.run_dir)

    def close(self) -> None:
        """Kill everything of the run and reap the child."""
        self.kill_all()
        if self._status is None:
            self.wait(2.0)


def spawn(spec: JailSpec, target: Callable[[], None], keep_fds: Sequence[int] = ()) -> Jailed:
    """Fork a child that enters the available protections and then calls ``target()``.

    The child keeps only ``keep_fds`` (fds 0-2 not listed there are pointed at /dev/null), exits
    with ``os._exit(0)`` when target returns and ``os._exit(1)`` when it raises. Called from the
    trusted side, which must not have threads or a CUDA context (fork).
    """
    keep = sorted({int(fd) for fd in keep_fds})
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        _child_main(spec, target, keep)  # never returns
    return Jailed(pid, spec)


def _child_main(spec: JailSpec, target: Callable[[], None], keep: list[int]) -> None:
    code = 0
    try:
        _enter(spec, keep)
    except BaseException as exc:  # the target never runs unconfined
        with contextlib.suppress(BaseException):
            os.write(2, f"confine: set-up failed: {exc!r}\n".encode())
        os._exit(SETUP_FAILED)
    try:
        target()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:
        code = 1
    with contextlib.suppress(BaseException):
        sys.stdout.flush()
        sys.stderr.flush()
    os._exit(code)


def _enter(spec: JailSpec, keep: list[int]) -> None:
    """Everything the child does before the target, in an order that matters."""
    os.setsid()
    _die_with_parent()
    _close_fds(keep)
    os.chdir(spec.run_dir)
    _set_rlimits(spec)


def _die_with_parent() -> None:
    """SIGKILL this child when its parent dies (nothing else would end an endless loop)."""
    if sys.platform.startswith("linux"):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    if os.getppid() == 1:  # the parent died before prctl took effect
        os._exit(1)


def _close_fds(keep: list[int]) -> None:
    """Keep only ``keep``; the standard streams not kept read/write /dev/null."""
    null = os.open(os.devnull, os.O_RDWR)
    for std in (0, 1, 2):
        if std not in keep:
            os.dup2(null, std)
    if null > 2 and null not in keep:
        os.close(null)
    low = 3
    for fd in [*keep, None]:
        high = 1 << 20 if fd is None else fd
        if high > low:
            os.closerange(low, high)
        if fd is not None:
            low = max(low, fd + 1)
    for fd in keep:
        if fd > 2:
            os.set_inheritable(fd, True)


def _set_rlimits(spec: JailSpec) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (spec.disk_bytes, spec.disk_bytes))
    if spec.memory_bytes is not None:
        data = _vm_data_bytes()
        if data is not None:
            cap = data + spec.memory_bytes
            resource.setrlimit(resource.RLIMIT_DATA, (cap, cap))


def _vm_data_bytes() -> int | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmData:"):
                return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


# ---------------------------------------------------------------------- /proc helpers
def _pids_in_group(pgid: int) -> list[int]:
    found = []
    with contextlib.suppress(OSError):
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as stat:
                    raw = stat.read()
                fields = raw[raw.rindex(b")") + 2 :].split()
                if int(fields[2]) == pgid or int(fields[3]) == pgid:  # pgrp or session
                    found.append(int(entry.name))
            except (OSError, ValueError, IndexError):
                continue
    return found


def _rss_of(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _tree_bytes(root: Path) -> int:
    total = 0
    stack = [str(root)]
    while stack:
        folder = stack.pop()
        with contextlib.suppress(OSError), os.scandir(folder) as entries:
            for entry in entries:
                try:
                    info = entry.stat(follow_symlinks=False)
                except OSError:
                    continue
                total += getattr(info, "st_blocks", 0) * 512 or info.st_size
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
    return total
