"""The app's side of the drill worker: start it early, send runs, read reports.

Why a long-lived worker started in the background: the first torch import costs seconds, so the
app starts the worker when it opens and every run after that is a fork away. If the worker dies
(or is killed by the OS), the next run starts a new one. ``run`` blocks; the window calls it from
a thread, and ``stop`` may be called from any thread.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from studyapp.core.drills.catalog import Exercise
from studyapp.core.drills.runner_protocol import Outcome, RunReport, RunRequest, decode, encode
from studyapp.resources import package_dir

__all__ = ["TORCH_HINT", "DrillRunner", "WorkerInfo", "torch_installed"]

#: What a learner without torch is told to run.
TORCH_HINT = "pip install torch==2.13.0"

Event = Callable[[dict[str, Any]], None]

_ROOT = package_dir().parent  # on the worker's path, so it imports this same studyapp


def torch_installed() -> bool:
    """Whether torch can be imported here, found without importing it (that costs seconds)."""
    import importlib.util

    return importlib.util.find_spec("torch") is not None


@dataclass(frozen=True, slots=True)
class WorkerInfo:
    """What the worker said when ready: its pid, torch version (None without torch), Python."""

    pid: int
    torch: str | None
    python: str = ""

    @classmethod
    def from_message(cls, message: dict[str, Any]) -> WorkerInfo:
        """Read the worker's "ready" message (raises ValueError when it is not one)."""
        if message.get("type") != "ready" or type(message.get("pid")) is not int:
            raise ValueError(f"not a ready message: {message!r:.200}")
        torch = message.get("torch")
        return cls(
            message["pid"], None if torch is None else str(torch), str(message.get("python", ""))
        )


class DrillRunner:
    """A handle on one worker process; safe to share between the GUI and one run thread."""

    def __init__(self) -> None:
        self._process: subprocess.Popen[bytes] | None = None
        self._info: WorkerInfo | None = None
        self._write_lock = threading.Lock()
        self._run_lock = threading.Lock()
        self._current_pid: int | None = None
        self._stop_requested = False
        self._run_started = False
        self._closed = False

    # ------------------------------------------------------------------ worker life
    def start(self) -> None:
        """Start the worker without waiting for it to be ready (call early, e.g. at app start)."""
        if self._closed:
            raise RuntimeError("the drill runner is closed")
        if self._process is not None and self._process.poll() is None:
            return
        from studyapp.core.drills.sandbox.worker import THREAD_ENV

        env = {**os.environ, **THREAD_ENV, "PYTHONPATH": _pythonpath()}
        self._info = None
        self._process = subprocess.Popen(
            [sys.executable, "-m", "studyapp.core.drills.sandbox.worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            cwd=_ROOT,
            start_new_session=True,  # Ctrl+C in the terminal does not reach it
        )

    def ready(self) -> WorkerInfo:
        """Wait until the worker has imported numpy/torch and report what it has."""
        self.start()
        if self._info is None:
            assert self._process is not None and self._process.stdout is not None
            line = self._process.stdout.readline()
            if not line:
                raise RuntimeError("the drill worker exited during start-up")
            self._info = WorkerInfo.from_message(decode(line))
        return self._info

    @property
    def has_torch(self) -> bool:
        return bool(self.ready().torch)

    def close(self) -> None:
        """Stop the worker (and any run in progress); the runner cannot be used afterwards."""
        self._closed = True
        process, self._process = self._process, None
        if process is None:
            return
        self.stop()
        pid = self._current_pid
        if pid is not None:  # do not leave a run behind if the worker is killed below
            with contextlib.suppress(OSError):
                os.killpg(pid, signal.SIGKILL)
        if self._info is None:  # still importing: nothing to finish cleanly
            process.kill()
        with contextlib.suppress(OSError, ValueError):
            self._send(process, "quit")
        try:
            process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        _close_pipes(process)

    # ------------------------------------------------------------------ runs
    def run(
        self,
        exercise: Exercise,
        source: str,
        *,
        stdin: str = "",
        force_cpu: bool = False,
        on_event: Event | None = None,
        trace: dict[str, Any] | None = None,
    ) -> RunReport:
        """Run ``source`` against the exercise's tests in an isolated child; block for the report.

        ``on_event`` receives the worker's messages as they arrive ("started", "output"). With
        ``trace`` (see :func:`studyapp.core.attention.trace.trace_request`) the child records the
        attention function's tensors instead of running the tests.
        """
        request = RunRequest(
            run_id=uuid.uuid4().hex[:12],
            source=source,
            exercise_dir=str(exercise.folder),
            time_limit_s=exercise.time_limit_s,
            memory_mb=exercise.memory_mb,
            stdin=stdin,
            force_cpu=force_cpu,
            rtol=exercise.rtol,
            atol=exercise.atol,
            gpu_rtol=exercise.gpu_rtol,
            gpu_atol=exercise.gpu_atol,
            trace=trace,
        )
        with self._run_lock:
            self._stop_requested = False
            self._run_started = False
            try:
                return self._run_once(request, on_event)
            except (BrokenPipeError, RuntimeError, ValueError) as exc:
                self._discard_process()
                if self._closed or self._stop_requested:
                    return RunReport(request.run_id, Outcome.ERROR, "the run was stopped")
                if self._run_started:  # never re-run code that may have killed the worker
                    return RunReport(
                        request.run_id,
                        Outcome.CRASHED,
                        f"the drill worker died during the run ({exc}); the next run starts a "
                        "new one",
                    )
            return self._run_once(request, on_event)  # it had died while idle: once more

    def _discard_process(self) -> None:
        """Forget a dead worker: reap it and close its pipes."""
        process, self._process = self._process, None
        self._current_pid = None
        if process is None:
            return
        with contextlib.suppress(OSError):
            process.kill()
        process.wait()
        _close_pipes(process)

    def _run_once(self, request: RunRequest, on_event: Event | None) -> RunReport:
        self.ready()
        if self._stop_requested:  # Stop was pressed while the worker was still warming up
            return RunReport(request.run_id, Outcome.ERROR, "the run was stopped before it started")
        process = self._process
        assert process is not None and process.stdout is not None
        self._send(process, "run", **vars(request))
        while True:
            line = process.stdout.readline()
            if not line:
                self._current_pid = None
                raise RuntimeError("the drill worker exited during a run")
            message = decode(line)
            if message["type"] == "started":
                self._current_pid = message["pid"]
                self._run_started = True
                if self._stop_requested:  # pressed between sending the run and its start
                    self._send(process, "stop")
            if message["type"] == "report":
                self._current_pid = None
                return RunReport.from_dict(message["report"])
            if on_event is not None:
                on_event(message)

    def stop(self) -> None:
        """Stop the run in progress or about to start: the worker kills its process group."""
        self._stop_requested = True
        process = self._process
        if process is None or self._current_pid is None:
            return
        with contextlib.suppress(OSError, ValueError):
            self._send(process, "stop")

    def _send(self, process: subprocess.Popen[bytes], kind: str, **payload: Any) -> None:
        assert process.stdin is not None
        with self._write_lock:
            process.stdin.write(encode(kind, **payload))
            process.stdin.flush()

    def __enter__(self) -> DrillRunner:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _close_pipes(process: subprocess.Popen[bytes]) -> None:
    for stream in (process.stdin, process.stdout):
        if stream is not None:
            with contextlib.suppress(OSError):
                stream.close()


def _pythonpath() -> str:
    """The worker imports ``studyapp`` from this source tree, installed or not."""
    existing = os.environ.get("PYTHONPATH")
    return os.pathsep.join([str(_ROOT), existing] if existing else [str(_ROOT)])
