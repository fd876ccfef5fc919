"""Confinement for a learner's process: fork a child that can reach its run folder and nothing else.

Why this module: the drill worker runs code the learner typed (or pasted). Reproduced against the
first edition, such code found the data folder through ``/proc/<ppid>/cmdline`` and emptied the
review log, read ``/etc/shadow``, opened TCP sockets, filled the disk outside its folder and left
``setsid`` processes running after the run. ``spawn`` forks a child that enters every protection
this machine offers before it calls the target, and ``probe`` says honestly which ones those are:

- filesystem: Landlock (``studyapp.core.drills.sandbox.landlock``): writes only the run folder;
  reads the Python installation, system libraries and the exercise's own files;
- network: a new network namespace (only a down loopback), and Landlock's TCP rules;
- processes: one cgroup per run (``studyapp.core.drills.sandbox.cgroup``), killed as a whole; where
  cgroups are not writable (a desktop user), one PID namespace per run, whose first process
  takes every other with it when it ends; a pids cgroup or RLIMIT_NPROC stops fork bombs;
- disk: the run folder is a size-limited tmpfs in the child's mount namespace (or, without one,
  RLIMIT_FSIZE plus :meth:`Jailed.disk_bytes` for the supervisor to poll);
- user: under root the child drops to ``nobody`` with no capabilities and no new privileges;
  Python folders ``nobody`` may not enter (a pyenv under ``/root``) are shown to the child alone,
  through a tmpfs over the closed folder in its mount namespace.

Pure Python, no Qt; Linux first; elsewhere each protection says it is not active.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import select
import signal
import stat
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from studyapp.core.drills.sandbox import landlock
from studyapp.resources import package_dir

try:  # POSIX only; probe() must still answer elsewhere (the Drills page asks on every system)
    import resource
except ImportError:  # pragma: no cover - Windows
    resource = None  # type: ignore[assignment]
from studyapp.core.drills.sandbox.cgroup import RunCgroup, cgroup_support, sweep

__all__ = [
    "JailSpec",
    "Jailed",
    "Protection",
    "doctor_lines",
    "limit_heap",
    "probe",
    "spawn",
    "summary",
    "sweep",
]

#: Exit status of a child whose set-up failed before the target ran.
SETUP_FAILED = 121
NAMES = ("filesystem", "network", "processes", "disk", "user")
_CLONE_NEWNS = 0x00020000
_CLONE_NEWIPC = 0x08000000
_CLONE_NEWUSER = 0x10000000
_CLONE_NEWPID = 0x20000000
_CLONE_NEWNET = 0x40000000
_MS_NOSUID, _MS_NODEV, _MS_REC, _MS_PRIVATE = 2, 4, 1 << 14, 1 << 18
_SYS_OPEN_TREE, _SYS_MOVE_MOUNT = 428, 429
_OPEN_TREE_CLONE, _AT_RECURSIVE, _MOVE_MOUNT_F_EMPTY_PATH = 1, 0x8000, 4
_CAP_SYS_ADMIN = 21
#: System files every Python child may read (missing ones are skipped).
_SYSTEM_READ = (
    "/usr",
    "/lib",
    "/lib32",
    "/lib64",
    "/bin",
    "/sbin",
    "/etc/ld.so.cache",
    "/etc/ld.so.conf",
    "/etc/ld.so.conf.d",
    "/etc/localtime",
    "/etc/passwd",
    "/etc/group",
    "/etc/nsswitch.conf",
    "/dev/zero",
    "/dev/urandom",
    "/dev/random",
    "/proc/cpuinfo",
    "/proc/meminfo",
    "/sys/devices/system/cpu",
)
#: Only where an NVIDIA driver is present: what CUDA reads (devices /dev/nvidia* are added
#: read-write with ioctl).
_GPU_READ = ("/proc/driver/nvidia", "/proc/devices", "/sys")


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
    #: Make run_dir a private tmpfs of ``disk_bytes`` (files already there are copied in; files
    #: put there by the parent after spawn are not seen: use :meth:`Jailed.run_path`).
    tmpfs: bool = True
    #: Contain the run's processes in a cgroup where possible (False: a PID namespace instead,
    #: the way used where cgroups are not writable; the target then runs as its pid 1).
    use_cgroup: bool = True


# ---------------------------------------------------------------------- what the machine offers
@dataclass(frozen=True)
class _Machine:
    landlock_abi: int
    root: bool
    admin: bool  # root with CAP_SYS_ADMIN: namespaces without a user namespace
    can_unshare_net: bool
    can_mount: bool  # a private mount namespace (tmpfs run folder, showing hidden folders)
    cgroups: tuple[bool, str]
    nobody: tuple[int, int] | None
    gpu: bool


_MACHINE: _Machine | None = None
_PROBE: dict[str, Protection] = {}
_DOWNGRADED: dict[str, str] = {}


def _machine() -> _Machine:
    global _MACHINE
    if _MACHINE is None:
        root = os.geteuid() == 0
        userns = _userns_allowed()
        admin = root and _has_cap(_CAP_SYS_ADMIN)
        linux = sys.platform.startswith("linux")
        _MACHINE = _Machine(
            landlock_abi=landlock.abi_version(),
            root=root,
            admin=admin,
            can_unshare_net=linux and (admin or userns),
            can_mount=linux and (admin or userns),
            cgroups=cgroup_support() if linux else (False, "not Linux"),
            nobody=_nobody() if root else None,
            gpu=os.path.exists("/dev/nvidiactl"),
        )
    return _MACHINE


def _userns_allowed() -> bool:
    """Unprivileged user namespaces (needed for a network namespace when not root)."""
    checks = {
        "/proc/sys/user/max_user_namespaces": lambda v: int(v) > 0,
        "/proc/sys/kernel/unprivileged_userns_clone": lambda v: int(v) == 1,
        "/proc/sys/kernel/apparmor_restrict_unprivileged_userns": lambda v: int(v) == 0,
    }
    if not os.path.exists("/proc/self/ns/user"):
        return False
    for path, ok in checks.items():
        try:
            if not ok(Path(path).read_text().strip()):
                return False
        except FileNotFoundError:
            continue
        except (OSError, ValueError):
            return False
    return True


def _has_cap(bit: int) -> bool:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("CapEff:"):
                return bool(int(line.split()[1], 16) >> bit & 1)
    except (OSError, ValueError):
        pass
    return False


def _nobody() -> tuple[int, int] | None:
    import pwd

    try:
        entry = pwd.getpwnam("nobody")
    except KeyError:
        return None
    return entry.pw_uid, entry.pw_gid


def probe() -> list[Protection]:
    """What this machine can enforce for a run (cheap; cached; never forks).

    A run whose child could not apply a protection the probe promised downgrades it here, so
    the report stays honest after the first run.
    """
    if not _PROBE:
        machine = _machine()
        for item in (
            _probe_filesystem(machine),
            _probe_network(machine),
            _probe_processes(machine),
            _probe_disk(machine),
            _probe_user(machine),
        ):
            _PROBE[item.name] = item
    result = []
    for name in NAMES:
        item = _PROBE[name]
        if name in _DOWNGRADED:
            item = Protection(name, False, f"{name} not restricted: {_DOWNGRADED[name]}")
        result.append(item)
    return result


def _probe_filesystem(machine: _Machine) -> Protection:
    if machine.landlock_abi < 1:
        why = "not Linux" if not sys.platform.startswith("linux") else "Landlock unavailable"
        return Protection("filesystem", False, f"filesystem not restricted: {why}")
    hidden = "; /run, /tmp and home are empty (no local sockets)" if machine.can_mount else ""
    return Protection(
        "filesystem",
        True,
        f"Landlock ABI {machine.landlock_abi}: writes only the run folder; reads Python, "
        f"system libraries and the exercise{hidden}",
    )


def _probe_network(machine: _Machine) -> Protection:
    ways = []
    if machine.can_unshare_net:
        ways.append("own network namespace (no interfaces)")
    if machine.landlock_abi >= 4:
        ways.append("Landlock denies TCP connect/bind")
    if not ways:
        return Protection(
            "network", False, "network not restricted: no network namespace, Landlock < 4"
        )
    return Protection("network", True, "; ".join(ways))


def _probe_processes(machine: _Machine) -> Protection:
    ok, how = machine.cgroups
    if ok:
        return Protection("processes", True, f"one cgroup per run, {how}, killed whole")
    if machine.can_mount:
        return Protection(
            "processes", True, f"one PID namespace per run ({how}): all end when its first ends"
        )
    return Protection(
        "processes",
        False,
        f"only the run's process group is killed ({how}): setsid escapees can survive",
    )


def _probe_disk(machine: _Machine) -> Protection:
    cap = "run folder is a size-capped tmpfs" if machine.can_mount else "RLIMIT_FSIZE + size watch"
    if machine.landlock_abi < 1:
        return Protection("disk", False, f"{cap}; writes outside it not prevented (no Landlock)")
    return Protection("disk", True, f"{cap}; nothing written outside it")


def _probe_user(machine: _Machine) -> Protection:
    if not machine.root:
        return Protection("user", True, f"runs as uid {os.geteuid()} (not root)")
    if machine.nobody is None:
        return Protection("user", False, "runs as root: no 'nobody' user to drop to")
    missing = _unreachable(_python_paths(), machine)
    if missing:
        return Protection("user", False, f"runs as root: 'nobody' cannot read {missing[0]}")
    return Protection(
        "user", True, f"root drops to nobody (uid {machine.nobody[0]}), no capabilities"
    )


def doctor_lines(*, check: bool = False) -> list[str]:
    """One human line per protection, for ``studyapp drill doctor``.

    With ``check`` a confined child first tries what each active protection forbids
    (``confine_check``; it forks, so never from the GUI): a protection that held says
    "checked", one that did not is marked FAIL with what got through.
    """
    results: dict[str, str] | None = None
    if check:
        from studyapp.core.drills.sandbox.confine_check import check as run_check

        results = run_check()
    lines = []
    for item in probe():
        mark, detail = ("on " if item.active else "OFF"), item.detail
        if results is not None and item.active:
            failure = results.get(item.name, "")
            mark, detail = ("FAIL", f"{detail} — but {failure}") if failure else (mark, detail)
            detail += "" if failure else " (checked)"
        lines.append(f"{mark:<4} {item.name:<10}  {detail}")
    if results and "setup" in results:
        lines.append(f"FAIL checking run: {results['setup']}")
    return lines


def summary() -> str:
    """A short line for the Drills page, e.g. "Sandbox: files, network, processes, disk, user"."""
    short = {"filesystem": "files"}
    items = probe()
    active = [short.get(p.name, p.name) for p in items if p.active]
    missing = [short.get(p.name, p.name) for p in items if not p.active]
    text = "Sandbox: " + (", ".join(active) if active else "none")
    if missing:
        text += " — not enforced: " + ", ".join(missing)
    return text


# ---------------------------------------------------------------------- paths the child reads
_PY_PATHS: list[Path] | None = None


def _python_paths() -> list[Path]:
    """Folders Python needs to import anything: prefixes, stdlib, site-packages, studyapp."""
    global _PY_PATHS
    if _PY_PATHS is None:
        import site
        import sysconfig

        found = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
        found.update(sysconfig.get_paths().get(k, "") for k in ("stdlib", "platstdlib"))
        found.update(sysconfig.get_paths().get(k, "") for k in ("purelib", "platlib"))
        with contextlib.suppress(AttributeError):
            found.update(site.getsitepackages())
        found.add(str(package_dir()))
        found.update(p for p in sys.path if p.endswith(("site-packages", "dist-packages")))
        real = {Path(os.path.realpath(p)) for p in found if p and os.path.isdir(p)}
        _PY_PATHS = _outermost(real)
    return _PY_PATHS


def _outermost(paths: set[Path]) -> list[Path]:
    """Drop paths inside another of the set (one Landlock rule covers them)."""
    kept: list[Path] = []
    for path in sorted(paths, key=lambda p: len(p.parts)):
        if not any(path.is_relative_to(k) for k in kept):
            kept.append(path)
    return kept


def _others_may(path: Path, need: int, nobody: tuple[int, int]) -> bool:
    """Whether ``nobody`` gets ``need`` (an "other" permission mask) on ``path``."""
    try:
        info = os.stat(path)
    except OSError:
        return True  # a missing path is skipped later; nothing to show
    if info.st_uid == nobody[0]:
        return info.st_mode & (need << 6) == need << 6
    return info.st_mode & need == need


def _first_closed(path: Path, nobody: tuple[int, int]) -> Path | None:
    """The outermost ancestor of ``path`` that ``nobody`` cannot enter (None: all open)."""
    for ancestor in [*reversed(path.parents), path]:
        need = stat.S_IXOTH | (stat.S_IROTH if ancestor == path else 0)
        if not _others_may(ancestor, need, nobody):
            return ancestor
    return None


def _unreachable(paths: Sequence[Path], machine: _Machine) -> list[Path]:
    """Paths ``nobody`` cannot read even after closed ancestors are shown to the child."""
    if machine.nobody is None:
        return list(paths)
    bad = []
    for path in paths:
        closed = _first_closed(path, machine.nobody)
        if closed is not None and (closed == path or not machine.admin or closed == Path("/")):
            bad.append(path)
    return bad


# ---------------------------------------------------------------------- the plan of one spawn
@dataclass
class _Plan:
    spec: JailSpec
    landlock_abi: int
    unshare: int
    userns: bool
    cgroup: RunCgroup | None
    drop_to: tuple[int, int] | None
    show: dict[str, list[str]]  # covered folder -> the paths beneath it the child still sees
    closed: set[str]  # the covered folders nobody cannot enter (the drop depends on them)
    tmpfs: bool
    reads: list[str]
    gpu: bool


def _socket_places() -> list[Path]:
    """Folders where local servers keep their sockets: the session bus and systemd (/run),
    X11 and ssh-agent (/tmp), gpg-agent (home), Docker (/run). Landlock does not stop a
    connect() to a socket by path, so the child gets empty folders there instead."""
    import pwd

    homes = {os.environ.get("HOME", "")}
    with contextlib.suppress(KeyError):
        homes.add(pwd.getpwuid(os.getuid()).pw_dir)
    places = {"/run", "/var/run", "/tmp", "/var/tmp", "/dev/shm", *homes}
    real = {Path(os.path.realpath(p)) for p in places if p and os.path.isdir(p)}
    return sorted(p for p in real if p != Path("/"))


def _outermost_covers(show: dict[str, list[str]]) -> dict[str, list[str]]:
    """A covered folder inside another covered folder is covered by that one already."""
    merged: dict[str, list[str]] = {}
    for folder in sorted(show, key=lambda p: len(Path(p).parts)):
        outer = next((m for m in merged if Path(folder).is_relative_to(m)), None)
        target = merged.setdefault(outer or folder, [])
        target.extend(p for p in show[folder] if p not in target)
    return merged


def _plan(spec: JailSpec) -> _Plan:
    machine = _machine()
    landlock.libc()  # loaded once here, not in every child
    by_name = {p.name: p for p in probe()}
    reads = [str(p) for p in _python_paths()]
    reads += [os.path.realpath(p) for p in spec.read_paths]
    mounts = spec.tmpfs and machine.can_mount
    drop_to = machine.nobody if by_name["user"].active and machine.root else None
    needed = [*map(Path, reads), Path(os.path.realpath(spec.run_dir))]
    show: dict[str, list[str]] = {}
    if drop_to is not None:
        for path in needed:
            closed = _first_closed(path, drop_to)
            if closed is not None and closed != path:
                show.setdefault(str(closed), []).append(str(path))
        if show and not machine.admin:  # showing needs mounts made as real root
            drop_to, show = None, {}
    closed_set = set(show)
    if machine.can_mount:
        for place in _socket_places():
            if not any(p == place or place.is_relative_to(p) for p in needed):
                beneath = [str(p) for p in needed if p.is_relative_to(place)]
                show.setdefault(str(place), []).extend(beneath)
    show = _outermost_covers(show)
    mounts = mounts or bool(show)
    net = not spec.allow_network and machine.can_unshare_net
    flags = (_CLONE_NEWNET if net else 0) | (_CLONE_NEWNS if mounts else 0)
    if machine.can_unshare_net:  # no System V shared memory or semaphores of other processes
        flags |= _CLONE_NEWIPC
    cgroup = None
    if machine.cgroups[0] and spec.use_cgroup:  # RLIMIT_NPROC limits a non-root run's processes
        cgroup = RunCgroup.create(spec.max_processes, pids_needed=drop_to is None and machine.root)
    if cgroup is None and machine.can_mount:
        flags |= _CLONE_NEWPID
    userns = bool(flags) and not machine.admin
    if userns:
        flags |= _CLONE_NEWUSER
    return _Plan(
        spec=spec,
        landlock_abi=machine.landlock_abi,
        unshare=flags,
        userns=userns,
        cgroup=cgroup,
        drop_to=drop_to,
        show=show,
        closed={k for k in show if any(Path(c).is_relative_to(k) for c in closed_set)},
        tmpfs=spec.tmpfs and mounts,
        reads=reads,
        gpu=machine.gpu,
    )


# ---------------------------------------------------------------------- the trusted side's handle
class Jailed:
    """The confined child of one run, seen from the trusted side."""

    def __init__(
        self, pid: int, plan: _Plan, failed: dict[str, str], first: int | None = None
    ) -> None:
        self.pid = pid
        #: Where the run has a PID namespace: its first process, whose end ends them all.
        self._first = _pidfd(first) if first else None
        self._pid_ns = _readlink(f"/proc/{first}/ns/pid") if first else None
        self.spec = plan.spec
        self._plan = plan
        self._status: int | None = None
        self._closed = False
        #: What the child could not apply ({protection name: why}); empty when all held.
        self.failed = failed
        #: What caps the number of the run's processes ("" where nothing does: root that
        #: could not drop to nobody and has no pids cgroup).
        self.process_limit = _process_limit(plan, failed)
        #: The protections in force for this run (the probe, less what the child could not apply).
        off = dict(failed)
        if plan.spec.allow_network:
            off["network"] = "allowed for this run"
        self.protections = [
            replace(p, active=False, detail=f"{p.name} not restricted: {off[p.name]}")
            if p.name in off
            else p
            for p in probe()
        ]

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
        """SIGKILL every process of the run, ``setsid`` and double-fork escapees included."""
        if self._plan.cgroup is not None and "processes" not in self.failed:
            self._plan.cgroup.kill()
        if self._first is not None:
            with contextlib.suppress(OSError):
                signal.pidfd_send_signal(self._first, signal.SIGKILL)
        if self._status is None:  # its group too (the pid is not reused before it is reaped)
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.pid, signal.SIGKILL)

    def pids(self) -> list[int]:
        """Every live process of the run."""
        if self._plan.cgroup is not None and "processes" not in self.failed:
            return [pid for pid in self._plan.cgroup.pids() if _alive(pid)]
        found = set(_pids_in_group(self.pid))
        if self._pid_ns is not None:
            found.update(_pids_in_namespace(self._pid_ns))
        return sorted(pid for pid in found if _alive(pid))

    def rss_bytes(self) -> int:
        """Resident bytes of every process of the run (0 where /proc is unavailable)."""
        return sum(_rss_of(pid) for pid in self.pids())

    def run_path(self) -> Path:
        """The run folder as the child sees it (its private tmpfs, while the child lives)."""
        if self._plan.tmpfs and "disk" not in self.failed and self.poll() is None:
            return Path(f"/proc/{self.pid}/root") / str(self.spec.run_dir).lstrip("/")
        return self.spec.run_dir

    def disk_bytes(self) -> int:
        """Bytes used in the run folder (the size watch the supervisor may poll)."""
        folder = self.run_path()
        if folder != self.spec.run_dir:
            with contextlib.suppress(OSError):
                info = os.statvfs(folder)
                return (info.f_blocks - info.f_bfree) * info.f_frsize
        return _tree_bytes(self.spec.run_dir)

    def close(self) -> None:
        """Kill everything of the run, reap the child and remove the run's cgroup."""
        if self._closed:
            return
        self.kill_all()
        if self._status is None:
            self.wait(2.0)
        if self._plan.cgroup is not None:
            self._plan.cgroup.remove()
        if self._first is not None:
            os.close(self._first)
            self._first = None
        self._closed = True


def _process_limit(plan: _Plan, failed: dict[str, str]) -> str:
    if plan.cgroup is not None and plan.cgroup.pids_dir is not None:
        return f"pids cgroup ({plan.spec.max_processes})"
    runs_as_root = os.geteuid() == 0 and (plan.drop_to is None or "user" in failed)
    if runs_as_root or resource is None or not os.path.isdir("/proc"):
        return ""
    return f"RLIMIT_NPROC (the uid's tasks + {plan.spec.max_processes})"


def _pidfd(pid: int) -> int | None:
    try:
        return os.pidfd_open(pid)
    except (AttributeError, OSError):
        return None


def _readlink(path: str) -> str | None:
    try:
        return os.readlink(path)
    except OSError:
        return None


def _pids_in_namespace(link: str) -> list[int]:
    """Processes whose PID namespace is ``link`` (as /proc/<pid>/ns/pid reads)."""
    found = []
    with contextlib.suppress(OSError):
        for entry in os.scandir("/proc"):
            if entry.name.isdigit() and _readlink(f"/proc/{entry.name}/ns/pid") == link:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    """A process that exists and is not a zombie."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            raw = handle.read()
    except OSError:
        return False
    return raw[raw.rindex(b")") + 2 : raw.rindex(b")") + 3] not in (b"Z", b"X")


# ---------------------------------------------------------------------- spawning
def spawn(spec: JailSpec, target: Callable[[], None], keep_fds: Sequence[int] = ()) -> Jailed:
    """Fork a child that enters every available protection and then calls ``target()``.

    The child keeps only ``keep_fds`` (fds 0-2 not listed there read/write /dev/null), exits with
    ``os._exit(0)`` when target returns and ``os._exit(1)`` when it raises. The call returns once
    the child is confined (about a millisecond of set-up), with what it could not apply in
    ``Jailed.failed``. Called from the trusted side, which must not have threads or a CUDA context.
    """
    keep = sorted({int(fd) for fd in keep_fds})
    plan = _plan(spec)
    status_r, status_w = os.pipe()
    go_r, go_w = os.pipe()
    for stream in (sys.stdout, sys.stderr):  # None under pythonw
        with contextlib.suppress(AttributeError, OSError, ValueError):
            stream.flush()
    pid = os.fork()
    if pid == 0:
        os.close(status_r)
        os.close(go_w)
        _child_main(plan, target, keep, (status_w, go_r))  # never returns
    os.close(status_w)
    os.close(go_r)
    failed: dict[str, str] = {}
    if plan.cgroup is not None:  # moved in while the child sets up; it waits for "go"
        try:
            plan.cgroup.add(pid)
        except OSError as exc:
            failed["processes"] = f"could not move the run into its cgroup ({exc.strerror})"
    first = None
    try:
        report = _read_status(status_r)
        failed.update(report["failed"])
        first = report["first"]
        if "setup" in failed:  # a child whose set-up failed or hung never runs the target
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        else:
            os.write(go_w, b"g")
    except OSError:
        failed.setdefault("setup", "the child ended during set-up")
    finally:
        os.close(go_w)
    for name, why in failed.items():
        if name in NAMES:
            _DOWNGRADED.setdefault(name, why)
    return Jailed(pid, plan, failed, first)


def _read_status(fd: int) -> dict[str, Any]:
    """The child's one JSON line: what it could not apply (or why its set-up failed), and the
    pid of its PID namespace's first process, if it made one."""
    data = b""
    deadline = time.monotonic() + 10
    try:
        while not data.endswith(b"\n") and time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                break
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            data += chunk
    finally:
        os.close(fd)
    try:
        report = json.loads(data)
        failed = {str(k): str(v) for k, v in report["failed"].items()}
        first = report["first"] if isinstance(report["first"], int) else None
    except (ValueError, KeyError, TypeError, AttributeError):
        why = "the child ended during set-up" if not data else "its set-up report was unreadable"
        return {"failed": {"setup": why}, "first": None}
    return {"failed": failed, "first": first}


def _child_main(
    plan: _Plan, target: Callable[[], None], keep: list[int], pipes: tuple[int, int]
) -> None:
    status_w, go_r = pipes
    try:
        failed = _enter(plan, keep, pipes)
        first = None
        if plan.unshare & _CLONE_NEWPID and "processes" not in failed:
            first = int(os.readlink("/proc/self"))  # our pid outside the namespace
        os.write(status_w, json.dumps({"failed": failed, "first": first}).encode() + b"\n")
        if os.read(go_r, 1) != b"g":  # the parent has put us in the run's cgroup
            os._exit(SETUP_FAILED)
        os.close(status_w)
        os.close(go_r)
    except BaseException as exc:  # the target never runs half-confined
        with contextlib.suppress(BaseException):
            error = {"failed": {"setup": f"set-up failed: {exc!r}"}, "first": None}
            os.write(status_w, json.dumps(error).encode() + b"\n")
        os._exit(SETUP_FAILED)
    code = 0
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


def _enter_pid_namespace(keep: list[int], pipes: tuple[int, int], parent: int) -> int:
    """Fork the first process of the new PID namespace, which goes on to confine itself and
    run the target; when it ends, the kernel ends every process of the namespace. This
    process stays outside, waits for it and ends the same way (so the parent's wait works)."""
    first = os.fork()
    if first == 0:
        return _die_with_parent()  # 0: the parent is outside the namespace
    for fd in pipes:
        os.close(fd)
    _die_with_parent(parent)  # a uid change (user namespace, nobody) has cleared it
    _wait_like(first, keep)
    return 0  # not reached: _wait_like ends the process


def _wait_like(pid: int, keep: list[int]) -> None:
    """Outside the PID namespace: wait for its first process and end the same way."""
    for fd in keep:
        with contextlib.suppress(OSError):
            os.close(fd)  # the learner's channel ends when the learner does
    while True:
        try:
            _, status = os.waitpid(pid, 0)
            break
        except ChildProcessError:
            os._exit(1)
        except InterruptedError:
            continue
    if os.WIFSIGNALED(status):
        signal.signal(os.WTERMSIG(status), signal.SIG_DFL)
        os.kill(os.getpid(), os.WTERMSIG(status))
    os._exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 1)


def _enter(plan: _Plan, keep: list[int], pipes: tuple[int, int]) -> dict[str, str]:
    """Everything the child does before the target, in an order that matters; returns what
    could not be applied ({protection: why})."""
    failed: dict[str, str] = {}
    spec = plan.spec
    os.setsid()
    parent = _die_with_parent()
    _close_fds([*keep, *pipes])
    _set_env(spec.run_dir)
    # Root without CAP_SYS_ADMIN needs a user namespace for the others: it becomes nobody
    # first and makes that namespace as nobody (it could not map nobody into it from inside).
    drop_to = plan.drop_to if plan.userns else None
    drop_first = drop_to is not None
    if drop_to is not None:
        _own_run_dir(spec.run_dir, drop_to, failed)
        _become(drop_to, failed)
    if plan.unshare:
        _unshare(plan, failed)
    if plan.unshare & _CLONE_NEWPID and "processes" not in failed:
        parent = _enter_pid_namespace(keep, pipes, parent)
    if plan.drop_to is not None and not drop_first and "user" not in failed:
        _own_run_dir(spec.run_dir, plan.drop_to, failed)
    os.chdir(spec.run_dir)
    _set_rlimits(spec)
    ruleset = _ruleset(plan, failed)
    if plan.drop_to is not None and not drop_first:
        _become(plan.drop_to, failed)
    if plan.drop_to is not None and os.geteuid() == 0:
        failed.setdefault("user", "runs as root")
    if plan.cgroup is None or plan.cgroup.pids_dir is None:
        _limit_nproc(spec.max_processes)
    if ruleset is not None:
        try:
            ruleset.restrict_self()
        except OSError as exc:
            failed["filesystem"] = f"Landlock could not be applied ({exc})"
    _die_with_parent(parent)  # again: the uid changes above cleared it
    _no_new_privs()
    return failed


def _die_with_parent(parent: int | None = None) -> int:
    """SIGKILL this child when its parent dies (nothing else would end an endless loop).

    The kernel forgets this on every change of uid or gid (the drop to nobody, a user
    namespace), so ``_enter`` sets it again at the end, passing the parent first seen: a
    different parent then means it died in between. Returns the parent's pid.
    """
    if sys.platform.startswith("linux"):
        pr_set_pdeathsig = 1
        landlock.libc().prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    now = os.getppid()
    if now == 1 or (parent is not None and now != parent):  # it died before prctl took effect
        os._exit(1)
    return now


def _no_new_privs() -> None:
    if sys.platform.startswith("linux"):
        # PR_SET_NO_NEW_PRIVS: no setuid binary gives root back
        landlock.libc().prctl(38, 1, 0, 0, 0)


def _close_fds(keep: list[int]) -> None:
    """Keep only ``keep``; the standard streams not kept read/write /dev/null."""
    null = os.open(os.devnull, os.O_RDWR)
    for std in (0, 1, 2):
        if std not in keep:
            os.dup2(null, std)
    if null > 2 and null not in keep:
        os.close(null)
    low = 3
    for fd in sorted(keep):
        if fd > low:
            os.closerange(low, fd)
        low = max(low, fd + 1)
    os.closerange(low, 1 << 20)


def _set_env(run_dir: Path) -> None:
    """Temporary files, caches and HOME point into the run folder (the only writable place)."""
    for name in ("HOME", "TMPDIR", "TMP", "TEMP", "XDG_CACHE_HOME", "MPLCONFIGDIR"):
        os.environ[name] = str(run_dir)
    tempfile: Any = sys.modules.get("tempfile")  # only if imported: importing it costs time
    if tempfile is not None:
        tempfile.tempdir = str(run_dir)


def _set_rlimits(spec: JailSpec) -> None:
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (spec.disk_bytes, spec.disk_bytes))
    if spec.memory_bytes is not None:
        limit_heap(spec.memory_bytes)


def limit_heap(memory_bytes: int) -> None:
    """Cap heap growth at ``memory_bytes`` beyond what this process maps now (RLIMIT_DATA), so a
    runaway allocation fails at once with MemoryError; nothing where /proc is missing."""
    data = _vm_data_bytes()
    if data is not None and resource is not None:
        with contextlib.suppress(OSError, ValueError):
            cap = data + memory_bytes
            resource.setrlimit(resource.RLIMIT_DATA, (cap, cap))


def _vm_data_bytes() -> int | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmData:"):
                return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


# ---------------------------------------------------------------------- namespaces and mounts
def _unshare(plan: _Plan, failed: dict[str, str]) -> None:
    """New network and mount namespaces (inside a user namespace when not root)."""
    flags = plan.unshare
    if plan.userns:
        uid, gid = os.getuid(), os.getgid()
        if not _try_unshare(_CLONE_NEWUSER, failed, "user namespace"):
            flags = 0
        else:
            landlock.libc().prctl(4, 1, 0, 0, 0)  # PR_SET_DUMPABLE: else /proc/self/*_map is root's
            _map_ids(uid, gid)
    if flags & _CLONE_NEWNET and not _try_unshare(_CLONE_NEWNET, failed, "network namespace"):
        failed["netns"] = failed.pop("_last")
    if flags & _CLONE_NEWIPC and not _try_unshare(_CLONE_NEWIPC, failed, "IPC namespace"):
        failed.pop("_last")  # a hardening extra: not one of the reported protections
    if flags & _CLONE_NEWPID and not _try_unshare(_CLONE_NEWPID, failed, "PID namespace"):
        failed["processes"] = failed.pop("_last") + ": setsid escapees can survive"
    if flags & _CLONE_NEWNS and _try_unshare(_CLONE_NEWNS, failed, "mount namespace"):
        _mount(None, "/", None, _MS_REC | _MS_PRIVATE, None)
        for folder, why in _cover(plan.show).items():
            if folder in plan.closed:
                failed["user"] = f"cannot show Python to 'nobody' ({why}); runs as root"
            else:  # a socket folder stays visible; Landlock still guards its files
                failed.setdefault("sockets", f"{folder} not covered ({why})")
        if plan.tmpfs:
            try:
                _tmpfs_run_dir(plan)
            except OSError as exc:
                failed["tmpfs"] = f"no tmpfs run folder ({exc})"
    elif flags & _CLONE_NEWNS:
        failed["tmpfs"] = failed.pop("_last")
        if plan.closed:
            failed["user"] = "no mount namespace to show Python to 'nobody'; runs as root"
    failed.pop("_last", None)


def _map_ids(uid: int, gid: int) -> None:
    """Map our own ids into the new user namespace (all an unprivileged process may map)."""
    Path("/proc/self/setgroups").write_text("deny")
    Path("/proc/self/uid_map").write_text(f"{uid} {uid} 1")
    Path("/proc/self/gid_map").write_text(f"{gid} {gid} 1")


def _try_unshare(flag: int, failed: dict[str, str], what: str) -> bool:
    if landlock.libc().unshare(flag) == 0:
        return True
    failed["_last"] = f"no {what} ({os.strerror(ctypes.get_errno())})"
    return False


def _mount(source: str | None, target: str, kind: str | None, flags: int, data: str | None) -> None:
    enc = [None if v is None else v.encode() for v in (source, target, kind, data)]
    if landlock.libc().mount(enc[0], enc[1], enc[2], ctypes.c_ulong(flags), enc[3]) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"mount {target}: {os.strerror(err)}")


def _cover(show: dict[str, list[str]]) -> dict[str, str]:
    """Cover each folder with an empty tmpfs and mount back, inside it, only the paths the child
    needs: a folder ``nobody`` cannot enter (a pyenv under /root) is opened that way, and the
    rest of a covered folder (a home, a data folder, a socket) is gone. Returns the folders
    that could not be covered, with why."""
    failed = {}
    for folder in sorted(show, key=lambda p: len(Path(p).parts)):
        try:
            _cover_one(folder, show[folder])
        except OSError as exc:
            failed[folder] = str(exc)
    return failed


def _cover_one(folder: str, keep: list[str]) -> None:
    libc = landlock.libc()
    trees = []
    try:
        for path in keep:
            flags = _OPEN_TREE_CLONE | _AT_RECURSIVE | os.O_CLOEXEC
            fd = libc.syscall(_SYS_OPEN_TREE, -100, path.encode(), flags)
            if fd < 0:
                raise OSError(ctypes.get_errno(), f"open_tree {path}")
            trees.append((path, int(fd), os.path.isdir(path)))
        _mount("studyapp-cover", folder, "tmpfs", _MS_NOSUID | _MS_NODEV, "mode=0755,size=64k")
        old_umask = os.umask(0o022)
        try:
            for path, fd, is_dir in trees:
                if is_dir:
                    os.makedirs(path, exist_ok=True)
                else:
                    os.makedirs(os.path.dirname(path), exist_ok=True)
                    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o644))
                if libc.syscall(_SYS_MOVE_MOUNT, fd, b"", -100, path.encode(), 4) != 0:
                    raise OSError(ctypes.get_errno(), f"move_mount {path}")
        except OSError:
            libc.umount2(folder.encode(), 2)  # MNT_DETACH: the folder as it was, not half shown
            raise
        finally:
            os.umask(old_umask)
    finally:
        for _path, fd, _is_dir in trees:
            os.close(fd)


def _tmpfs_run_dir(plan: _Plan) -> None:
    """Make the run folder a private tmpfs of ``disk_bytes`` (a hard cap on what the run
    writes), with a copy of the files the parent had put there."""
    spec = plan.spec
    uid, gid = plan.drop_to or (os.getuid(), os.getgid())
    old = os.open(spec.run_dir, os.O_RDONLY | os.O_DIRECTORY)
    try:
        options = f"size={max(spec.disk_bytes, 1 << 16)},mode=0700,uid={uid},gid={gid}"
        _mount("studyapp-run", str(spec.run_dir), "tmpfs", _MS_NOSUID | _MS_NODEV, options)
        with os.scandir(old) as entries:
            for entry in entries:
                if entry.is_file(follow_symlinks=False):
                    _copy_in(old, entry.name, spec.run_dir / entry.name)
    finally:
        os.close(old)


def _copy_in(folder_fd: int, name: str, dest: Path) -> None:
    source = os.open(name, os.O_RDONLY | os.O_NOFOLLOW, dir_fd=folder_fd)
    try:
        mode = stat.S_IMODE(os.fstat(source).st_mode)
        target = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        try:
            while chunk := os.read(source, 1 << 20):
                os.write(target, chunk)
        finally:
            os.close(target)
    finally:
        os.close(source)


def _own_run_dir(run_dir: Path, owner: tuple[int, int], failed: dict[str, str]) -> None:
    """Give the run folder (and what the parent put in it) to the unprivileged user."""
    try:
        os.chown(run_dir, *owner)
        count = 0
        for folder, dirs, files in os.walk(run_dir):
            for name in dirs + files:
                os.chown(os.path.join(folder, name), *owner, follow_symlinks=False)
                count += 1
                if count > 10_000:
                    return
    except OSError as exc:
        failed["user"] = f"cannot give the run folder to 'nobody' ({exc.strerror}); runs as root"


def _become(owner: tuple[int, int], failed: dict[str, str]) -> None:
    if "user" in failed:
        return
    try:
        _drop_user(owner)
    except OSError as exc:
        failed["user"] = f"could not become 'nobody' ({exc.strerror}); runs as root"


def _drop_user(owner: tuple[int, int]) -> None:
    """Become ``nobody``: no groups, all three uids/gids, so no capability is left."""
    uid, gid = owner
    os.setgroups([])
    os.setresgid(gid, gid, gid)
    os.setresuid(uid, uid, uid)
    # A uid change makes the process undumpable, which gives /proc/self/fd to root; the run's
    # own /proc is harmless to it (Landlock keeps other domains from tracing it).
    landlock.libc().prctl(4, 1, 0, 0, 0)  # PR_SET_DUMPABLE


def _limit_nproc(allowance: int) -> None:
    """Without a pids cgroup: RLIMIT_NPROC counts every task of the uid, so allow what the uid
    already has plus the run's allowance (the kernel ignores it for root)."""
    uid = os.getuid()
    if uid == 0 or resource is None or not os.path.isdir("/proc"):
        return  # root ignores it; without /proc the uid's tasks cannot be counted
    used = 0
    with contextlib.suppress(OSError):
        for entry in os.scandir("/proc"):
            if entry.name.isdigit():
                with contextlib.suppress(OSError, ValueError):
                    if os.stat(entry.path).st_uid == uid:
                        used += len(os.listdir(f"{entry.path}/task"))
    resource.setrlimit(resource.RLIMIT_NPROC, (used + allowance, used + allowance))


# ---------------------------------------------------------------------- Landlock rules
def _ruleset(plan: _Plan, failed: dict[str, str]) -> landlock.Ruleset | None:
    """The child's Landlock rules, built while it can still open every path."""
    spec = plan.spec
    ruleset = None
    if plan.landlock_abi >= 1:
        try:
            ruleset = landlock.Ruleset(
                plan.landlock_abi, deny_tcp=not spec.allow_network, scope=True
            )
            _add_rules(ruleset, plan)
        except OSError as exc:
            failed["filesystem"] = f"Landlock rules failed ({exc})"
            ruleset = None
    netns = plan.unshare & _CLONE_NEWNET and "netns" not in failed
    if not spec.allow_network and not netns and not (ruleset and ruleset.denies_tcp):
        failed["network"] = failed.get("netns", "no network namespace, no Landlock TCP rules")
    return ruleset


def _add_rules(ruleset: landlock.Ruleset, plan: _Plan) -> None:
    read = landlock.READ
    for path in (*_SYSTEM_READ, *plan.reads, *(_GPU_READ if plan.gpu else ())):
        ruleset.allow(path, read)
    own = os.readlink("/proc/self")  # not getpid(): that is 1 inside a PID namespace
    ruleset.allow(f"/proc/{own}", landlock.READ_FILE | landlock.READ_DIR)
    device = landlock.READ_FILE | landlock.WRITE_FILE | landlock.TRUNCATE
    ruleset.allow("/dev/null", device)
    if plan.gpu:
        for name in os.listdir("/dev"):
            if name.startswith("nvidia"):
                ruleset.allow(f"/dev/{name}", device | landlock.IOCTL_DEV)
    if not ruleset.allow(plan.spec.run_dir, ruleset.handled_fs):
        raise OSError(2, f"run folder missing: {plan.spec.run_dir}")


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
