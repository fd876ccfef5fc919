"""The drill worker: a warm process that runs each drill as a judge process and a learner process.

Why this design: importing torch costs about 1.6 s but a fork of a
process that already imported it costs a few milliseconds, so the worker imports numpy and torch
once and forks per run. The worker never starts threads and never touches CUDA or runs a torch op
before forking (a forked child would hang or break).

Why two processes per run: code under test that shares an interpreter with its tests can make a
wrong answer pass (no-op the assertions, patch numpy or ``inspect``, forge the report). So each run
has a *judge* J, a plain fork of this worker that loads ``tests.py`` and never executes the
learner's code, and a *learner* L, started by J through
:func:`studyapp.core.drills.sandbox.confine.spawn`, which loads the learner's source and serves
calls over a socket (:mod:`studyapp.core.drills.sandbox.channel`; values cross as data, never
pickle). The report goes from J to the worker over a pipe L never holds; L's output goes to pipes
the worker streams to the app.

Why spares: a CUDA context costs 0.3-2 s, so J and L are started *before* the request, per device
kind (forced CPU or not), and wait for it; after each run the worker starts the replacement. The
same mechanism runs on the CPU. A spare serves exactly one run.

Run as ``python -m studyapp.core.drills.sandbox.worker``; it speaks JSON lines on stdin/stdout
(``studyapp.core.drills.runner_protocol``).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import select
import shutil
import signal
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from studyapp.core.drills.runner_protocol import Outcome, RunReport, RunRequest, decode, encode

__all__ = ["THREAD_ENV", "main"]

#: BLAS/OpenMP pools stay small and predictable (and within the run's process limit).
THREAD_ENV = {
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "NUMEXPR_NUM_THREADS": "1",
    "VECLIB_MAXIMUM_THREADS": "1",
}
#: Judge + learner pairs kept waiting per kind of run: two, so a run that follows another at
#: once still finds one whose confined learner is ready (starting one takes tens of ms).
SPARES = 2
_POLL_S = 0.05
#: Imported once by the worker (see ``_Worker.warm_extras``); none of them starts a thread.
_EXTRA_IMPORTS = ("scipy.stats", "torch._dynamo")
#: A run whose tests or code contain the word needs the module at the same place above.
_EXTRA_WORDS = ("scipy", "optim.")
#: Idle seconds after which the worker imports them all.
_IDLE_WARM_S = 2.0
#: How long a judge gets to kill its learner and exit after SIGTERM before SIGKILL.
_GRACE_S = 1.0


@dataclass
class _Spare:
    """A judge + learner pair started before its request, waiting for exactly one run."""

    force_cpu: bool
    judge_pid: int
    run_dir: Path
    req_w: int
    rep_r: int
    out_r: int
    err_r: int
    learner_pid: int | None = None
    hello: bytearray = field(default_factory=bytearray)

    def fds(self) -> tuple[int, ...]:
        return (self.req_w, self.rep_r, self.out_r, self.err_r)


@dataclass
class _Finishing:
    """A judge that delivered its report and is killing its learner; reaped when it exits."""

    pid: int
    run_dir: Path
    deadline: float


class _Worker:
    def __init__(self) -> None:
        self.torch: Any = None
        self.out = sys.stdout.buffer
        self.spares: dict[bool, list[_Spare]] = {False: [], True: []}
        self.finishing: list[_Finishing] = []
        self._stdin_buffer = bytearray()
        self._used_cpu = False
        self._tried: set[str] = set()

    def send(self, kind: str, **payload: Any) -> None:
        self.out.write(encode(kind, **payload))
        self.out.flush()

    # ------------------------------------------------------------------ start-up
    def warm_up(self) -> None:
        """Import what runs need, once, without starting threads or CUDA."""
        import random  # noqa: F401
        import socket  # noqa: F401

        import numpy
        import numpy.random  # noqa: F401 - lazily loaded by numpy 2; 20-30 ms in every child

        import studyapp.core.attention.trace
        import studyapp.core.drills.catalog
        import studyapp.core.drills.sandbox.asserts
        import studyapp.core.drills.sandbox.channel
        import studyapp.core.drills.sandbox.confine
        import studyapp.core.drills.sandbox.harness
        import studyapp.core.drills.sandbox.wire  # noqa: F401

        try:
            import torch
        except ImportError:
            self.torch = None
        else:
            # One intra-op thread in the parent: an OpenMP pool started before fork makes
            # parallel torch ops in the child hang forever.
            torch.set_num_threads(1)
            self.torch = torch

    def warm_extras(self, names: tuple[str, ...]) -> None:
        """Import modules that exercises use and that are slow to import (scipy.stats; torch's
        optimizers pull in torch._dynamo on first use). The judge and the learner would both
        import them in every run; forked from here they have them for free. Done when the
        worker is idle, or before the first run that needs them; the waiting spares were forked
        without them, so they are replaced."""
        import importlib
        import importlib.util

        missing = [n for n in names if n not in sys.modules and n not in self._tried]
        for name in missing:
            self._tried.add(name)
            if name.startswith("torch") and self.torch is None:
                continue
            try:
                if importlib.util.find_spec(name.split(".")[0]) is not None:
                    importlib.import_module(name)
            except Exception:  # an optional speed-up, never a reason to fail
                continue
        if missing:
            for spare in self.spares[False] + self.spares[True]:
                self._discard(spare)
            self.spares = {False: [], True: []}
            self.refill()

    def _extras_for(self, request: RunRequest) -> tuple[str, ...]:
        """The slow imports this run's tests or code mention."""
        try:
            text = (Path(request.exercise_dir) / "tests.py").read_text(encoding="utf-8")
        except OSError:
            text = ""
        text += request.source
        return tuple(
            n for n, word in zip(_EXTRA_IMPORTS, _EXTRA_WORDS, strict=True) if word in text
        )

    # ------------------------------------------------------------------ spares
    def make_spare(self, force_cpu: bool) -> _Spare:
        """Fork a judge that spawns its learner and waits for one request."""
        from studyapp.core.drills.sandbox import judge as drill_judge

        run_dir = Path(tempfile.mkdtemp(prefix="studyapp-run-"))
        req_r, req_w = os.pipe()
        rep_r, rep_w = os.pipe()
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the judge never returns
            pipes = drill_judge.JudgePipes(req_r, rep_w, out_w, err_w)
            drill_judge.judge_main(pipes, run_dir, force_cpu)
        for fd in (req_r, rep_w, out_w, err_w):
            os.close(fd)
        return _Spare(force_cpu, pid, run_dir, req_w, rep_r, out_r, err_r)

    def take_spare(self, force_cpu: bool) -> _Spare:
        """The waiting pair for this kind of run (started now if there is none or it died)."""
        waiting = self.spares[force_cpu]
        spare = waiting.pop(0) if waiting else None
        if spare is not None and self._hello(spare):
            return spare
        if spare is not None:
            self._discard(spare)
        spare = self._fork_retrying(force_cpu)
        if not self._hello(spare):
            self._discard(spare)
            raise RuntimeError("the judge process could not start its learner process")
        return spare

    def _fork_retrying(self, force_cpu: bool) -> _Spare:
        """A new spare; fork may fail for a moment while a killed run's processes exit."""
        deadline = time.monotonic() + 5
        while True:
            try:
                return self.make_spare(force_cpu)
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise
                self.reap()
                time.sleep(0.05)

    def _hello(self, spare: _Spare) -> bool:
        """Read the judge's first line (the learner's pid); False if the judge is gone."""
        deadline = time.monotonic() + 30
        while b"\n" not in spare.hello:
            ready, _, _ = select.select([spare.rep_r], [], [], max(0, deadline - time.monotonic()))
            chunk = os.read(spare.rep_r, 4096) if ready else b""
            if not chunk:
                return False
            spare.hello += chunk
        line, _, rest = bytes(spare.hello).partition(b"\n")
        spare.hello = bytearray(rest)
        try:
            spare.learner_pid = int(json.loads(line)["learner_pid"])
        except (ValueError, KeyError, TypeError):
            return False
        return True

    def refill(self) -> None:
        """Start the default spare (and keep one of each kind used) off the critical path."""
        for force_cpu in (False, True):
            while len(self.spares[force_cpu]) < SPARES and (not force_cpu or self._used_cpu):
                try:
                    self.spares[force_cpu].append(self.make_spare(force_cpu))
                except OSError:  # no process left right now (a fork bomb dying): next run
                    return

    def _discard(self, spare: _Spare) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(spare.judge_pid, signal.SIGTERM)
        for fd in spare.fds():
            with contextlib.suppress(OSError):
                os.close(fd)
        self.finishing.append(_Finishing(spare.judge_pid, spare.run_dir, time.monotonic() + 2))

    def reap(self) -> None:
        """Collect judges that finished; SIGKILL the ones past their deadline."""
        still = []
        for item in self.finishing:
            try:
                done, _ = os.waitpid(item.pid, os.WNOHANG)
            except ChildProcessError:
                done = item.pid
            if done:
                shutil.rmtree(item.run_dir, ignore_errors=True)
                continue
            if time.monotonic() > item.deadline:
                _kill_group(item.pid)
            still.append(item)
        self.finishing = still

    # ------------------------------------------------------------------ one run
    def run(self, request: RunRequest) -> RunReport:
        started = time.perf_counter()
        self._used_cpu = self._used_cpu or request.force_cpu
        self.warm_extras(self._extras_for(request))
        spare = self.take_spare(request.force_cpu)
        token = secrets.token_hex(16)  # only the judge learns it; a report without it is forged
        try:
            payload = json.dumps({"request": vars(request), "token": token}).encode()
            view = memoryview(payload)
            while view:
                view = view[os.write(spare.req_w, view) :]
            os.close(spare.req_w)
            spare.req_w = -1
        except OSError:
            pass  # the judge died: its report says so below
        self.send("started", run_id=request.run_id, pid=spare.learner_pid, judge=spare.judge_pid)
        try:
            return self._supervise(request, spare, started, token)
        finally:
            for fd in spare.fds():
                with contextlib.suppress(OSError):
                    if fd >= 0:
                        os.close(fd)
            self.finishing.append(
                _Finishing(spare.judge_pid, spare.run_dir, time.monotonic() + _GRACE_S + 3)
            )

    def _supervise(
        self, request: RunRequest, spare: _Spare, started: float, token: str
    ) -> RunReport:
        streams = {spare.out_r: "stdout", spare.err_r: "stderr"}
        captured = {"stdout": bytearray(), "stderr": bytearray()}
        result = bytearray(spare.hello)
        open_fds = {spare.out_r, spare.err_r, spare.rep_r}
        killed_for = ""
        killed_at = 0.0
        while spare.rep_r in open_fds:
            readable, _, _ = select.select([*open_fds, 0], [], [], _POLL_S)
            for fd in readable:
                if fd == 0:
                    if self._stdin_says_stop() and not killed_for:
                        killed_for, killed_at = "stopped", _terminate(spare.judge_pid)
                    continue
                chunk = os.read(fd, 65536)
                if not chunk:
                    open_fds.discard(fd)
                elif fd == spare.rep_r:
                    result += chunk
                elif self._output(request, captured, streams[fd], chunk) and not killed_for:
                    killed_for, killed_at = "output", _terminate(spare.judge_pid)
            now = time.perf_counter()
            if not killed_for and now - started > request.time_limit_s:
                killed_for, killed_at = "timeout", _terminate(spare.judge_pid)
            if killed_for and now - killed_at > _GRACE_S:
                _kill_group(spare.judge_pid)  # the judge did not end its learner in time
                break
        for fd in (spare.out_r, spare.err_r):  # the learner flushed before the report
            while fd in open_fds and _readable(fd):
                chunk = os.read(fd, 65536)
                if not chunk:
                    break
                self._output(request, captured, streams[fd], chunk)
        duration = time.perf_counter() - started
        report = _report(request, killed_for, bytes(result), duration, token)
        report.stdout = captured["stdout"].decode(errors="replace")
        report.stderr = captured["stderr"].decode(errors="replace")
        report.output_truncated = killed_for == "output"
        return report

    def _output(
        self, request: RunRequest, captured: dict[str, bytearray], stream: str, chunk: bytes
    ) -> bool:
        """Keep and stream the learner's output; True when it went over the limit."""
        room = request.output_limit - len(captured["stdout"]) - len(captured["stderr"])
        captured[stream] += chunk[: max(0, room)]
        if room > 0:
            text = chunk[:room].decode(errors="replace")
            self.send("output", run_id=request.run_id, stream=stream, text=text)
        return len(chunk) > room

    # ------------------------------------------------------------------ the app's pipe
    def _read_stdin(self) -> bool:
        """Read what the app sent; False at EOF (the app went away)."""
        chunk = os.read(0, 65536)
        self._stdin_buffer += chunk
        return bool(chunk)

    def _next_line(self) -> bytes | None:
        if b"\n" not in self._stdin_buffer:
            return None
        line, _, rest = bytes(self._stdin_buffer).partition(b"\n")
        self._stdin_buffer = bytearray(rest)
        return line

    def _stdin_says_stop(self) -> bool:
        """During a run: a "stop" message, or the app closing its end, stops the run."""
        if not self._read_stdin():
            return True
        while (line := self._next_line()) is not None:
            if line.strip() and decode(line)["type"] in ("stop", "quit"):
                return True
        return False

    # ------------------------------------------------------------------ loop
    def serve(self) -> None:
        self.warm_up()
        self.send(
            "ready",
            pid=os.getpid(),
            torch=getattr(self.torch, "__version__", None),
            python=sys.version.split()[0],
        )
        try:
            self.refill()
            idle_since = time.monotonic()
            while True:
                line = self._next_line()
                if line is None:
                    readable, _, _ = select.select([0], [], [], 0.5)
                    self.reap()
                    if readable and not self._read_stdin():
                        return
                    if not readable and time.monotonic() - idle_since > _IDLE_WARM_S:
                        self.warm_extras(_EXTRA_IMPORTS)
                    continue
                if not line.strip():
                    continue
                message = decode(line)
                if message["type"] == "quit":
                    return
                if message["type"] == "run":
                    fields = {k: v for k, v in message.items() if k != "type"}
                    report = self.run(RunRequest(**fields))
                    self.send("report", report=report.to_dict())
                    self.refill()
                    self.reap()
                    idle_since = time.monotonic()
        finally:
            self.shutdown()

    def shutdown(self) -> None:
        for spare in self.spares[False] + self.spares[True]:
            self._discard(spare)
        self.spares = {False: [], True: []}
        deadline = time.monotonic() + 3
        while self.finishing and time.monotonic() < deadline:
            self.reap()
            time.sleep(0.01)
        for item in self.finishing:
            _kill_group(item.pid)
            shutil.rmtree(item.run_dir, ignore_errors=True)


def _readable(fd: int) -> bool:
    ready, _, _ = select.select([fd], [], [], 0)
    return bool(ready)


def _terminate(judge_pid: int) -> float:
    """Ask the judge to kill its learner (and everything that started) and exit."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.kill(judge_pid, signal.SIGTERM)
    return time.perf_counter()


def _kill_group(pid: int) -> None:
    """SIGKILL a judge's whole process group (it made it its own)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


def _report(
    request: RunRequest, killed_for: str, result: bytes, duration: float, token: str
) -> RunReport:
    """The judge's report, unless the worker stopped the run (the worker's reason wins).

    The report counts only if it carries the run's token, which the worker gave the judge
    alone: a learner that wrote a report into the judge's pipe (and killed the judge) did not
    know it."""
    limit = f"{request.time_limit_s:g} s"
    verdicts = {
        "timeout": (
            Outcome.TIMEOUT,
            f"the run took longer than its limit of {limit} and was stopped",
        ),
        "stopped": (Outcome.ERROR, "the run was stopped"),
        "judge": (
            Outcome.ERROR,
            "the run's report did not come from its judge process (it was forged or the judge "
            "was killed), so the run has no trusted verdict",
        ),
        "output": (
            Outcome.ERROR,
            f"the run printed more than {request.output_limit // 1_000_000} MB and was stopped",
        ),
    }
    if killed_for in verdicts:
        outcome, message = verdicts[killed_for]
        return RunReport(request.run_id, outcome, message, duration_s=duration)
    if result:
        try:
            data = json.loads(result)
            if not isinstance(data, dict) or data.pop("token", None) != token:
                killed_for = "judge"
            else:
                data["duration_s"] = duration
                return RunReport.from_dict(data)
        except (ValueError, TypeError):
            pass
    if killed_for == "judge":
        outcome, message = verdicts["judge"]
        return RunReport(request.run_id, outcome, message, duration_s=duration)
    return RunReport(
        request.run_id,
        Outcome.ERROR,
        "the judge process ended without a report",
        duration_s=duration,
    )


def main() -> None:
    """Entry point of the worker process."""
    os.environ.update(THREAD_ENV)
    os.environ.setdefault("MPLBACKEND", "Agg")
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C in a terminal is for the app
    _Worker().serve()


if __name__ == "__main__":
    main()
