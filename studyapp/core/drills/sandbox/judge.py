"""The two processes of one drill run: the trusted judge J and the confined learner L.

Why separate from the worker: this is what runs *after* the worker's fork. The judge
(:func:`judge_main`) never executes the learner's code: it spawns the learner's process with
:func:`studyapp.core.drills.sandbox.confine.spawn`, loads ``tests.py`` itself, calls the learner's
functions through :mod:`studyapp.core.drills.sandbox.channel`, and computes the verdict with its own
numpy, torch and :mod:`studyapp.core.drills.sandbox.asserts`. The learner (:func:`learner_main`)
loads the source and answers calls; whatever it does to its own interpreter (patching numpy,
``inspect``, ``json``, the judge module, writing to any descriptor it finds) changes nothing in the
judge, and nothing it sends is read as anything but data. The report reaches the worker over a pipe
the learner never holds.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal
import socket
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studyapp.core.drills.runner_protocol import (
    Outcome,
    RunReport,
    RunRequest,
    TestReport,
    TestStatus,
)
from studyapp.resources import package_dir

if TYPE_CHECKING:  # imported where used: the judge starts before they are needed
    from studyapp.core.drills.catalog import Exercise
    from studyapp.core.drills.sandbox.channel import Channel, RemoteError
    from studyapp.core.drills.sandbox.confine import Jailed

__all__ = ["JudgePipes", "judge_main", "learner_main"]

#: What a run may write in its folder, all files together.
RUN_DISK_BYTES = 64 * 2**20


@dataclass(frozen=True)
class JudgePipes:
    """The judge's ends: the request from the worker, the report to it, and the learner's
    stdout/stderr write ends (handed to the learner, closed here)."""

    req_r: int
    rep_w: int
    out_w: int
    err_w: int


class _OverMemory(BaseException):  # ends the run; never caught by a test
    pass


# ---------------------------------------------------------------------- the judge
def judge_main(pipes: JudgePipes, run_dir: Path, cpu: bool) -> None:
    """Body of the judge process (forked from the worker); never returns."""
    code = 0
    try:
        os.setsid()
        _die_with_parent()
        _close_all_but(2, pipes.req_r, pipes.rep_w, pipes.out_w, pipes.err_w)
        null = os.open(os.devnull, os.O_RDWR)
        os.dup2(null, 0)
        os.dup2(null, 1)  # the worker's stdout is the app's protocol pipe: never write there
        os.close(null)
        _judge(pipes, run_dir, cpu)
    except BaseException as exc:  # the worker reports "ended without a report"
        code = 1
        with contextlib.suppress(BaseException):
            os.write(2, f"drill judge: {exc!r}\n".encode())
    os._exit(code)


def _judge(pipes: JudgePipes, run_dir: Path, cpu: bool) -> None:
    from studyapp.core.drills.sandbox import confine
    from studyapp.core.drills.sandbox.channel import Channel

    mine, theirs = socket.socketpair()
    keep = (theirs.fileno(), pipes.out_w, pipes.err_w)
    spec = confine.JailSpec(run_dir=run_dir, read_paths=[package_dir()], disk_bytes=RUN_DISK_BYTES)
    jailed = confine.spawn(spec, lambda: learner_main(keep, cpu), keep_fds=keep)
    for fd in (pipes.out_w, pipes.err_w):
        os.close(fd)
    theirs.close()

    def stop(signum: int, frame: Any) -> None:  # the worker's timeout or Stop
        jailed.close()
        os._exit(1)

    signal.signal(signal.SIGTERM, stop)
    _set_dumpable(False)  # the learner may not read this process's memory or descriptors
    _write_all(pipes.rep_w, json.dumps({"learner_pid": jailed.pid}).encode() + b"\n")
    channel = Channel(mine, device_ok=_device_ok)
    token = ""
    try:
        ready = channel.request("ready")
        device = ready.get("device", "cpu") if isinstance(ready, dict) else "cpu"
        if device == "cuda":  # this process's own context, made while waiting for the request
            _torch().zeros(1, device="cuda")
        message = json.loads(_read_all(pipes.req_r))
        request, token = RunRequest(**message["request"]), str(message["token"])
        limit = request.memory_mb * 2**20
        channel.on_wait = lambda: _check_memory(jailed, limit)
        try:
            report = _run(request, channel, ready if isinstance(ready, dict) else {}, jailed)
        except _OverMemory:
            text = f"the run used more than {request.memory_mb} MB of memory and was stopped"
            report = RunReport(request.run_id, Outcome.MEMORY, text)
    except _OverMemory:  # before the request: the learner's process grew while waiting
        report = RunReport("", Outcome.MEMORY, "the learner's process used too much memory")
    _write_all(pipes.rep_w, json.dumps({**report.to_dict(), "token": token}).encode())
    os.close(pipes.rep_w)
    jailed.close()


def _run(request: RunRequest, channel: Channel, ready: dict[str, Any], jailed: Jailed) -> RunReport:
    """The run's report, decided here; the learner's process can at most crash itself."""
    from studyapp.core.drills.sandbox.channel import ChannelBroken, LearnerAbort

    device = str(ready.get("device", "cpu"))[:12]
    base: dict[str, Any] = {
        "run_id": request.run_id,
        "device": device,
        "device_name": str(ready.get("device_name", ""))[:100],
    }
    try:
        report = _load_and_test(request, channel, device, base)
        channel.request("finish")  # the learner's output is flushed before the report
        return report
    except LearnerAbort as exc:
        return RunReport(**base, outcome=Outcome.ERROR, message=exc.message)
    except ChannelBroken as exc:
        return _learner_ended(base, jailed, str(exc))


def _load_and_test(
    request: RunRequest, channel: Channel, device: str, base: dict[str, Any]
) -> RunReport:
    from studyapp.core.drills.catalog import load_exercise
    from studyapp.core.drills.sandbox.channel import RemoteError
    from studyapp.core.drills.sandbox.harness import Context, run_tests

    exercise = load_exercise(Path(request.exercise_dir))
    try:
        solution = channel.request(
            "load",
            source=request.source,
            stdin=request.stdin,
            memory_mb=request.memory_mb,
            seed=int.from_bytes(os.urandom(4), "little"),
        )
    except RemoteError as exc:
        return _load_error(base, exc)
    if request.trace is not None:
        return _trace(request, channel, solution, exercise.slug, base)
    gpu = device != "cpu"
    ctx = Context(
        device=device,
        rtol=request.gpu_rtol if gpu else request.rtol,
        atol=request.gpu_atol if gpu else request.atol,
        channel=channel,
        source=request.source,
    )
    tests = run_tests(exercise.tests_path, solution, ctx)
    return _verdict(tests, exercise, base)


def _verdict(tests: list[TestReport], exercise: Exercise, base: dict[str, Any]) -> RunReport:
    for test in tests:
        if test.status != TestStatus.PASSED:
            test.hint = "\n".join(h for h in (test.hint, exercise.hints.get(test.name, "")) if h)
    errors = [t for t in tests if t.status == TestStatus.ERROR]
    failures = [t for t in tests if t.status == TestStatus.FAILED]
    if any(t.message.startswith("MemoryError") for t in errors):
        outcome, message = Outcome.MEMORY, "the code ran out of memory"
    elif errors:
        outcome = Outcome.ERROR
        message = f"{len(errors)} of {len(tests)} tests raised an exception: {errors[0].message}"
    elif failures:
        outcome = Outcome.FAILED
        message = f"{len(failures)} of {len(tests)} tests failed"
    elif not tests:
        outcome, message = Outcome.ERROR, "the exercise has no tests"
    else:
        outcome, message = Outcome.PASSED, f"all {len(tests)} tests passed"
    first_error = next((t for t in tests if t.traceback), None)
    return RunReport(
        **base,
        outcome=outcome,
        message=message,
        tests=tests,
        traceback=first_error.traceback if first_error else "",
        error_line=_line_from_traceback(first_error.traceback) if first_error else None,
    )


def _load_error(base: dict[str, Any], exc: RemoteError) -> RunReport:
    if exc.type_name == "SyntaxError" or exc.type_name == "IndentationError":
        where = f"line {exc.line}" if exc.line else "the code"
        return RunReport(
            **base,
            outcome=Outcome.ERROR,
            message=f"{exc.type_name} at {where}: {exc}",
            traceback=exc.remote_traceback,
            error_line=exc.line,
        )
    if exc.type_name == "MemoryError":
        return RunReport(**base, outcome=Outcome.MEMORY, message="the code ran out of memory")
    return RunReport(
        **base,
        outcome=Outcome.ERROR,
        message=f"{exc.type_name} while loading the code: {exc}",
        traceback=exc.remote_traceback,
        error_line=exc.line,
    )


def _trace(
    request: RunRequest, channel: Channel, solution: Any, slug: str, base: dict[str, Any]
) -> RunReport:
    """Record the tensors of the learner's attention function (in its process) as data."""
    from studyapp.core.drills.sandbox.channel import RemoteError

    base = {**base, "device": "cpu", "device_name": ""}  # traced in float64 on the CPU
    try:
        trace = solution._ask("trace", source=request.source, slug=slug, inputs=request.trace)
    except RemoteError as exc:
        return RunReport(
            **base,
            outcome=Outcome.ERROR,
            message=f"{exc.type_name}: {exc}",
            traceback=exc.remote_traceback,
            error_line=exc.line,
        )
    if not isinstance(trace, dict):
        return RunReport(**base, outcome=Outcome.ERROR, message="the trace could not be read")
    return RunReport(**base, outcome=Outcome.PASSED, message="traced", trace=trace)


def _learner_ended(base: dict[str, Any], jailed: Jailed, why: str) -> RunReport:
    """The learner's process is gone (or talks nonsense): say how it ended."""
    status = jailed.wait(1.0)
    if status is None:  # alive but sent something that is not a reply
        jailed.kill_all()
        return RunReport(**base, outcome=Outcome.ERROR, message=why)
    if os.WIFSIGNALED(status):
        name = signal.Signals(os.WTERMSIG(status)).name
        return RunReport(
            **base, outcome=Outcome.CRASHED, message=f"the process crashed with {name}", signal=name
        )
    code = os.WEXITSTATUS(status)
    return RunReport(
        **base,
        outcome=Outcome.ERROR,
        message=f"the process ended (exit code {code}) before the tests finished — did the code "
        "call os._exit() or close the channel?",
    )


_MEMORY_CHECK_S = 0.5
_next_memory_check = [0.0]


def _check_memory(jailed: Jailed, limit: int) -> None:
    """The RSS watch (a /proc scan, so not at every idle tick: it would take CPU from the
    learner's process that the growth checks measure). RLIMIT_DATA catches most runaway
    allocations at once; this covers CUDA runs and memory held by child processes."""
    now = time.monotonic()
    if now < _next_memory_check[0]:
        return
    _next_memory_check[0] = now + _MEMORY_CHECK_S
    if jailed.rss_bytes() > limit:
        jailed.kill_all()
        raise _OverMemory


def _line_from_traceback(text: str) -> int | None:
    import re

    found = re.findall(r'File "solution\.py", line (\d+)', text)
    return int(found[-1]) if found else None


def _device_ok(device: str) -> bool:
    torch = sys.modules.get("torch")
    if torch is None:
        return False
    if device.startswith("cuda"):
        return bool(torch.cuda.is_available())
    mps = getattr(torch.backends, "mps", None)
    return device == "mps" and mps is not None and mps.is_available()


def _torch() -> Any:
    import torch

    return torch


def _read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 65536):
        chunks.append(chunk)
    os.close(fd)
    return b"".join(chunks)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _close_all_but(low: int, *keep: int) -> None:
    """Close every inherited descriptor above ``low`` but ``keep``: the worker's other pipes
    (another spare's request pipe, say) must not stay open here, or their EOF never comes."""
    start = low + 1
    for fd in sorted(keep):
        if fd > start:
            os.closerange(start, fd)
        start = max(start, fd + 1)
    os.closerange(start, 1 << 16)


def _set_dumpable(on: bool) -> None:
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_dumpable = 4
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(pr_set_dumpable, int(on), 0, 0, 0)


def _die_with_parent() -> None:
    """SIGKILL the judge if the worker dies; the learner follows the judge the same way."""
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)
    if os.getppid() == 1:
        os._exit(1)


# ---------------------------------------------------------------------- the learner
def learner_main(fds: tuple[int, int, int], cpu: bool) -> None:
    """Body of the learner's process (inside the confinement): answer the judge's calls."""
    from studyapp.core.drills.sandbox.channel import CapturedStdout, LearnerServer

    sock_fd, out_w, err_w = fds
    os.dup2(out_w, 1)
    os.dup2(err_w, 2)
    for fd in (out_w, err_w):
        if fd > 2:
            os.close(fd)
    stdout = CapturedStdout(
        io.TextIOWrapper(os.fdopen(1, "wb"), encoding="utf-8", line_buffering=True)
    )
    sys.stdout = stdout
    sys.stderr = io.TextIOWrapper(os.fdopen(2, "wb"), encoding="utf-8", line_buffering=True)
    sys.stdin = io.StringIO("")
    device, device_name = _pick_device(cpu)
    server = LearnerServer(socket.socket(fileno=sock_fd), stdout)
    state: dict[str, Any] = {"device": device}
    server.ops["ready"] = lambda request: {"device": device, "device_name": device_name}
    server.ops["load"] = lambda request: _load(server, request, state)
    server.ops["trace"] = lambda request: _record(server, request)
    server.ops["finish"] = lambda request: _flush()
    server.serve()


def _pick_device(cpu: bool) -> tuple[str, str]:
    """The run's device; with a GPU its context is created now, before any request."""
    torch = sys.modules.get("torch")
    if torch is None or cpu:
        return "cpu", ""
    if torch.cuda.is_available():
        torch.zeros(1, device="cuda")  # the CUDA context, off the critical path
        return "cuda", torch.cuda.get_device_name(0)
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        return "mps", "Apple GPU"
    return "cpu", ""


def _load(server: Any, request: dict[str, Any], state: dict[str, Any]) -> Any:
    """Seed, limit memory, then run the learner's source as the module ``solution``."""
    import random

    import numpy as np

    from studyapp.core.drills.sandbox.harness import load_solution

    sys.stdin = io.StringIO(str(request.get("stdin", "")))
    seed = int(request.get("seed", 0))
    random.seed(seed)
    np.random.seed(seed)
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.manual_seed(seed)
        torch.set_num_threads(min(2, os.cpu_count() or 1))
    _limit_memory(int(request.get("memory_mb", 2048)), state["device"])
    return server.keep(load_solution(str(request["source"])))


def _record(server: Any, request: dict[str, Any]) -> Any:
    from studyapp.core.attention.trace import record_call

    module = server.objects[request["h"]]
    return record_call(module, str(request["source"]), str(request["slug"]), request["inputs"])


def _flush() -> None:
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(BaseException):
            stream.flush()


def _limit_memory(memory_mb: int, device: str) -> None:
    """The run's heap cap, set once the request names it (the learner was started before). Not
    with CUDA, whose driver maps large regions of its own; the judge's RSS watch covers that."""
    from studyapp.core.drills.sandbox.confine import limit_heap

    if device != "cuda":
        limit_heap(memory_mb * 2**20)
