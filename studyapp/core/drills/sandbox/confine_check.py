"""A live check of the sandbox: a confined child tries what each protection forbids.

Why: ``confine.probe()`` reads what the kernel offers; this proves, on the learner's own machine,
that a run really cannot read a file beside its folder (or reach a UNIX socket there), write
outside it or past its cap, reach a TCP listener, stay root, or leave a ``setsid`` process
behind. ``studyapp drill doctor`` prints the result (it forks, so the GUI never calls it).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import tempfile
import time
from pathlib import Path
from typing import Any

from studyapp.core.drills.sandbox import confine

__all__ = ["check"]

_CAP = 1 << 20


def check() -> dict[str, str]:
    """{protection name: "" when it held, else what got through} for every active protection."""
    base = Path(tempfile.mkdtemp(prefix="studyapp-doctor-"))
    listener = socket.socket()
    local = socket.socket(socket.AF_UNIX)  # like a session bus or an agent's socket
    try:
        (base / "run").mkdir()
        (base / "beside.txt").write_text("a file of the learner's data folder")
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        local.bind(str(base / "beside.sock"))
        local.listen(1)
        marker = f"{59 + (os.getpid() % 997) / 1000:.3f}"
        found = _run_attempts(base, listener.getsockname()[1], marker)
        found["processes"] = found.get("processes", "") or _leftovers(marker)
    finally:
        listener.close()
        local.close()
        shutil.rmtree(base, ignore_errors=True)
    active = {p.name for p in confine.probe() if p.active}
    return {name: why for name, why in found.items() if name in active}


def _run_attempts(base: Path, port: int, marker: str) -> dict[str, str]:
    read, write = os.pipe()
    spec = confine.JailSpec(run_dir=base / "run", disk_bytes=_CAP)
    jailed = confine.spawn(spec, lambda: _attempts(base, port, marker, write), keep_fds=[write])
    os.close(write)
    data = b""
    with contextlib.suppress(OSError):
        while chunk := os.read(read, 65536):
            data += chunk
    os.close(read)
    jailed.wait(10)
    jailed.close()
    try:
        found = json.loads(data)
    except ValueError:
        return {"setup": "the checking run ended without an answer"}
    return {str(k): str(v) for k, v in found.items()}


def _attempts(base: Path, port: int, marker: str, out: int) -> None:
    """Inside the confined child: each attempt that succeeds is a protection that failed."""
    found: dict[str, Any] = {}
    found["filesystem"] = _got_through(lambda: (base / "beside.txt").read_text(), "read beside")
    if "no local sockets" in confine.probe()[0].detail:  # promised only with a mount namespace
        found["filesystem"] = found["filesystem"] or _got_through(
            lambda: _connect_unix(base / "beside.sock"), "connected to a local socket"
        )
    outside = _got_through(lambda: (base / "outside.txt").write_text("x"), "wrote outside")
    found["disk"] = outside or _got_through(
        lambda: Path("big.bin").write_bytes(b"x" * 2 * _CAP), "wrote past the cap"
    )
    found["network"] = _got_through(
        lambda: socket.create_connection(("127.0.0.1", port), timeout=1).close(), "TCP connect"
    )
    found["user"] = "still root" if os.geteuid() == 0 else ""
    try:  # what Popen(start_new_session=True) does, without a Popen object to reap
        os.posix_spawnp("sleep", ["sleep", marker], dict(os.environ), setsid=True)
    except OSError as exc:
        found["processes"] = f"could not start the test process ({exc})"
    os.write(out, json.dumps(found).encode())


def _connect_unix(path: Path) -> None:
    with socket.socket(socket.AF_UNIX) as client:
        client.connect(str(path))


def _got_through(attempt: Any, what: str) -> str:
    try:
        attempt()
    except OSError:
        return ""
    return what


def _leftovers(marker: str) -> str:
    """A process the checking run started with start_new_session=True that is still alive."""
    deadline = time.monotonic() + 2
    while time.monotonic() < deadline:
        if not _live_sleepers(marker):
            return ""
        time.sleep(0.05)
    return "a start_new_session process outlived the run"


def _live_sleepers(marker: str) -> list[int]:
    found = []
    with contextlib.suppress(OSError):
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                cmdline = Path(entry.path, "cmdline").read_bytes()
                state = Path(entry.path, "stat").read_text().rsplit(")", 1)[1].split()[0]
            except (OSError, IndexError):
                continue
            if cmdline == b"sleep\0" + marker.encode() + b"\0" and state not in ("Z", "X"):
                found.append(int(entry.name))
    return found
