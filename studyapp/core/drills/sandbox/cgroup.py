"""One cgroup per drill run: every process the run starts can be counted, limited and killed.

Why: a process group is left by ``setsid()`` (and ``Popen(start_new_session=True)``), so killing
the run's group misses such escapees; a cgroup cannot be left without privileges. On cgroup v2
``cgroup.kill`` ends everything in one write; on v1 the freezer stops the processes first so that
none can fork while they are killed one by one. A ``pids`` limit stops fork bombs.

Layout: ``<hierarchy>/<our cgroup>/studyapp-<spawner pid>-<n>``, removed when the run is closed;
folders left by a process that died first are swept (empty ones only) by the next run.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import signal
import time
from pathlib import Path

__all__ = ["RunCgroup", "cgroup_support", "sweep"]

_ROOT = Path("/sys/fs/cgroup")
_counter = itertools.count(1)
_swept: set[Path] = set()


def _own_cgroups() -> dict[str, str]:
    """Controller (or "" for v2) -> this process's cgroup path, from /proc/self/cgroup."""
    found: dict[str, str] = {}
    try:
        text = Path("/proc/self/cgroup").read_text()
    except OSError:
        return found
    for line in text.splitlines():
        parts = line.split(":", 2)
        if len(parts) != 3:
            continue
        for controller in parts[1].split(",") if parts[1] else [""]:
            found[controller] = parts[2]
    return found


def _hierarchies() -> dict[str, Path]:
    """Where the kill and pids mechanisms live: "v2" (unified), "freezer", "pids" (v1)."""
    own = _own_cgroups()
    found: dict[str, Path] = {}
    if (_ROOT / "cgroup.controllers").exists() and "" in own:  # pure v2
        found["v2"] = _ROOT / own[""].lstrip("/")
    elif (_ROOT / "unified" / "cgroup.controllers").exists() and "" in own:  # hybrid
        found["v2"] = _ROOT / "unified" / own[""].lstrip("/")
    for name in ("freezer", "pids"):
        if name in own and (_ROOT / name / "cgroup.procs").exists():
            found[name] = _ROOT / name / own[name].lstrip("/")
    return found


def _sweep(parent: Path, *, again: bool = False) -> None:
    """Kill and remove the run cgroups of spawners that died without closing them (a judge
    killed with SIGKILL leaves its run's escapees behind; they end here)."""
    if parent in _swept and not again:
        return
    _swept.add(parent)
    with contextlib.suppress(OSError):
        for entry in parent.glob("studyapp-*"):
            pid = entry.name.removeprefix("studyapp-").split("-")[0]
            if pid.isdigit() and not Path(f"/proc/{pid}").exists():
                kind = "v2" if (entry / "cgroup.kill").exists() else "freezer"
                RunCgroup(entry, kind, None).remove(timeout=0.5)


def sweep() -> None:
    """Clean up after dead spawners now (the worker calls this when it stops)."""
    for parent in _sweep_places():
        _sweep(parent, again=True)


def _sweep_places() -> set[Path]:
    """Our cgroup in each hierarchy, and the hierarchy's top (where a worker of the first
    edition made its ``studyapp-<pid>`` cgroup)."""
    pure_v2 = (_ROOT / "cgroup.controllers").exists()
    places = set()
    for parent in _hierarchies().values():
        places.add(parent)
        if pure_v2:
            places.add(_ROOT)
        else:  # v1 or hybrid: each hierarchy is mounted one level below /sys/fs/cgroup
            places.update(top for top in parent.parents if top.parent == _ROOT)
    return places


def _writable(folder: Path) -> bool:
    try:
        return os.access(folder, os.W_OK) and not os.statvfs(folder).f_flag & os.ST_RDONLY
    except OSError:
        return False


def cgroup_support() -> tuple[bool, str]:
    """Whether runs get their own cgroup here, and how they are killed (for ``probe``)."""
    found = _hierarchies()
    if "v2" in found and _writable(found["v2"]):
        return True, "cgroup v2 (cgroup.kill)"
    if "freezer" in found and _writable(found["freezer"]):
        return True, "cgroup v1 (freezer)"
    return False, "no writable cgroup (v2 with cgroup.kill or v1 freezer)"


def _make(parent: Path | None, name: str) -> Path | None:
    if parent is None:
        return None
    try:
        (parent / name).mkdir()
    except OSError:
        return None
    return parent / name


class RunCgroup:
    """The cgroups of one run (the kill one, and the pids one when they differ)."""

    def __init__(self, kill: Path, kind: str, pids: Path | None) -> None:
        self.kill_dir = kill
        self.kind = kind  # "v2" or "freezer"
        self.pids_dir = pids
        self.dirs = [kill] + ([pids] if pids is not None and pids != kill else [])

    @classmethod
    def create(cls, max_processes: int, *, pids_needed: bool = True) -> RunCgroup | None:
        """A fresh cgroup for the next run (None where cgroups cannot be used).

        Joining a cgroup costs the child a few milliseconds per hierarchy (the kernel waits for
        an RCU grace period), so the run joins one for killing and a v1 pids one only when
        ``pids_needed`` (no other limit on its processes, i.e. it keeps running as root).
        """
        found = _hierarchies()
        name = f"studyapp-{os.getpid()}-{next(_counter)}"
        for parent in _sweep_places():
            _sweep(parent)
        kill = kind = None
        for key in ("v2", "freezer"):
            folder = _make(found.get(key), name)
            if folder is None:
                continue
            if key == "freezer" or (folder / "cgroup.kill").exists():
                kill, kind = folder, key
                break
            with contextlib.suppress(OSError):  # v2 older than Linux 5.14: no cgroup.kill
                folder.rmdir()
        if kill is None or kind is None:
            return None
        pids = kill if (kill / "pids.max").exists() else None
        if pids is None and pids_needed:
            pids = _make(found.get("pids"), name)
        if pids is not None:
            try:
                (pids / "pids.max").write_text(str(max_processes))
            except OSError:
                if pids != kill:
                    with contextlib.suppress(OSError):
                        pids.rmdir()
                pids = None
        return cls(kill, kind, pids)

    def add(self, pid: int) -> None:
        """Move process ``pid`` in (before it runs anything of the learner's)."""
        for folder in self.dirs:
            (folder / "cgroup.procs").write_text(str(pid))

    def pids(self) -> list[int]:
        try:
            text = (self.kill_dir / "cgroup.procs").read_text()
        except OSError:
            return []
        return [int(pid) for pid in text.split()]

    def kill(self) -> None:
        """SIGKILL every process in the run's cgroup, setsid escapees included."""
        if self.kind == "v2":
            with contextlib.suppress(OSError):
                (self.kill_dir / "cgroup.kill").write_text("1")
            return
        state = self.kill_dir / "freezer.state"
        try:
            state.write_text("FROZEN")  # nobody forks while we kill
            deadline = time.monotonic() + 1.0
            while state.read_text().strip() != "FROZEN" and time.monotonic() < deadline:
                time.sleep(0.001)
        except OSError:
            pass
        for _ in range(3):
            pids = self.pids()
            if not pids:
                break
            for pid in pids:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(pid, signal.SIGKILL)
            with contextlib.suppress(OSError):
                state.write_text("THAWED")  # killed tasks die only once thawed

    def remove(self, timeout: float = 5.0) -> bool:
        """Kill what is left and remove the folders; False if one stayed (still busy)."""
        deadline = time.monotonic() + timeout
        left = list(self.dirs)
        while left:
            self.kill()
            for folder in list(left):
                try:
                    folder.rmdir()
                    left.remove(folder)
                except FileNotFoundError:
                    left.remove(folder)
                except OSError:
                    pass
            if not left or time.monotonic() >= deadline:
                break
            time.sleep(0.005)
        return not left
