"""The drill worker: a warm process that forks one isolated, limited child per run.

Why this design (see shared/docs/platform.md): importing torch costs about 1.6 s but a fork of a
process that already imported it costs a few milliseconds, so the worker imports numpy and torch
once and forks a child per run. The worker never starts threads and never touches CUDA or runs a
torch op before forking (a forked child would hang or break). Each child gets its own process
group, a fresh temporary folder, stdin from a file, its output on pipes, limits on processes,
memory and file size, fresh random seeds, and — when the app runs as root — the ``nobody`` user.

Run as ``python -m studyapp.core.drill_worker``; it speaks JSON lines on stdin/stdout
(``studyapp.core.runner_protocol``).
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from studyapp.core.runner_protocol import RunReport, RunRequest, decode, encode

__all__ = ["THREAD_ENV", "main"]

#: BLAS/OpenMP pools stay small and predictable (and within the child's process limit).
THREAD_ENV = {
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "NUMEXPR_NUM_THREADS": "1",
    "VECLIB_MAXIMUM_THREADS": "1",
}
#: Processes plus threads the child's user may have (a fork bomb stops here).
MAX_PROCESSES = 64
#: Largest file a run may write in its folder.
MAX_FILE_BYTES = 64 * 1024 * 1024
_POLL_S = 0.05
#: Exercises parsed by the worker before forking, read by the child (no re-parsing per run).
_EXERCISES: dict[str, Any] = {}


class _Worker:
    def __init__(self) -> None:
        self.torch: Any = None
        self.out = sys.stdout.buffer
        self.cgroup = make_pids_cgroup()
        if self.cgroup is not None:
            try:  # the worker joins once; every forked run inherits the limit for free
                (self.cgroup / "cgroup.procs").write_text(str(os.getpid()))
            except OSError:
                self.cgroup = None
        self._exercises: dict[str, tuple[float, Any]] = {}

    def send(self, kind: str, **payload: Any) -> None:
        self.out.write(encode(kind, **payload))
        self.out.flush()

    # ------------------------------------------------------------------ start-up
    def warm_up(self) -> None:
        """Import what runs need, once, without starting threads or CUDA."""
        import random  # noqa: F401

        import numpy
        import numpy.random  # noqa: F401 - lazily loaded by numpy 2; 20-30 ms in every child

        import studyapp.core.exercise_catalog
        import studyapp.core.judge
        import studyapp.core.test_harness  # noqa: F401

        try:
            import torch
        except ImportError:
            torch = None
        if torch is not None:
            # One intra-op thread in the parent: an OpenMP pool started before fork makes
            # parallel torch ops in the child hang forever.
            torch.set_num_threads(1)
        self.torch = torch

    # ------------------------------------------------------------------ one run
    def run(self, request: RunRequest) -> RunReport:
        started = time.perf_counter()
        workdir = Path(tempfile.mkdtemp(prefix="studyapp-run-"))
        # stdin comes from a file outside the run's folder: EOF when empty, never a hang.
        stdin_fd, stdin_path = tempfile.mkstemp(prefix="studyapp-stdin-")
        with os.fdopen(stdin_fd, "wb") as stdin_file:
            stdin_file.write(request.stdin.encode())
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        res_r, res_w = os.pipe()
        self._load_exercise(request.exercise_dir)  # parsed here once, inherited by the child
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the child never returns
            fds = (out_r, err_r, res_r)
            _child(request, self.cgroup, workdir, stdin_path, out_w, err_w, res_w, fds)
        for fd in (out_w, err_w, res_w):
            os.close(fd)
        self.send("started", run_id=request.run_id, pid=pid)
        try:
            return self._supervise(request, pid, started, out_r, err_r, res_r)
        finally:
            _kill_group(pid)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, os.WNOHANG)
            for fd in (out_r, err_r, res_r):
                with contextlib.suppress(OSError):
                    os.close(fd)
            shutil.rmtree(workdir, ignore_errors=True)
            with contextlib.suppress(OSError):
                os.unlink(stdin_path)

    def _supervise(
        self, request: RunRequest, pid: int, started: float, out_r: int, err_r: int, res_r: int
    ) -> RunReport:
        streams = {out_r: "stdout", err_r: "stderr"}
        captured = {"stdout": bytearray(), "stderr": bytearray()}
        result = bytearray()
        open_fds = {out_r, err_r, res_r}
        status: int | None = None
        killed_for = ""
        next_memory_check = started + 0.1
        limit_bytes = request.memory_mb * 1024 * 1024
        # A pidfd becomes readable the moment the child exits, so the report is not held back
        # by the polling interval (Linux 5.3+; elsewhere the interval bounds the delay).
        exit_fd = _pidfd(pid)
        watched: list[Any] = [sys.stdin] + ([exit_fd] if exit_fd is not None else [])
        while status is None or open_fds:
            readable, _, _ = select.select([*open_fds, *watched], [], [], _POLL_S)
            for fd in readable:
                if fd == exit_fd:
                    continue  # handled by the waitpid below
                if fd is sys.stdin:
                    line = sys.stdin.readline()
                    if not line:  # the app went away
                        killed_for = killed_for or "stopped"
                        _kill_group(pid)
                        continue
                    message = decode(line)
                    if message["type"] == "stop" and not killed_for:
                        killed_for = "stopped"
                        _kill_group(pid)
                    continue
                chunk = os.read(fd, 65536)
                if not chunk:
                    open_fds.discard(fd)
                    continue
                if fd == res_r:
                    result += chunk
                    continue
                stream = streams[fd]
                room = request.output_limit - len(captured["stdout"]) - len(captured["stderr"])
                captured[stream] += chunk[: max(0, room)]
                if room > 0:
                    text = chunk[:room].decode(errors="replace")
                    self.send("output", run_id=request.run_id, stream=stream, text=text)
                if len(chunk) > room and not killed_for:
                    killed_for = "output"
                    _kill_group(pid)
            now = time.perf_counter()
            if not killed_for and now - started > request.time_limit_s:
                killed_for = "timeout"
                _kill_group(pid)
            if not killed_for and now >= next_memory_check:
                next_memory_check = now + 0.1
                if _group_rss(pid) > limit_bytes:
                    killed_for = "memory"
                    _kill_group(pid)
            if status is None:
                try:
                    done, raw = os.waitpid(pid, os.WNOHANG)
                except ChildProcessError:  # reaped elsewhere; treat as killed
                    done, raw = pid, signal.SIGKILL
                if done:
                    status = raw
                    watched = [sys.stdin]  # the pidfd stays readable from now on
                    if killed_for:
                        open_fds.discard(res_r)
            if (
                status is not None
                and open_fds
                and time.perf_counter() - started > (request.time_limit_s + 2)
            ):
                break  # a grandchild holds the pipes open; the group is killed in run()
        if exit_fd is not None:
            os.close(exit_fd)
        duration = time.perf_counter() - started
        report = _report(request, status, killed_for, bytes(result), duration)
        report.stdout = captured["stdout"].decode(errors="replace")
        report.stderr = captured["stderr"].decode(errors="replace")
        report.output_truncated = killed_for == "output"
        return report

    def _load_exercise(self, folder: str) -> None:
        from studyapp.core.exercise_catalog import load_exercise

        meta = Path(folder) / "exercise.toml"
        stamp = max(p.stat().st_mtime for p in (meta, Path(folder) / "tests.py"))
        cached = self._exercises.get(folder)
        if cached is None or cached[0] != stamp:
            self._exercises[folder] = (stamp, load_exercise(Path(folder)))
        _EXERCISES[folder] = self._exercises[folder][1]

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
            for line in sys.stdin:
                message = decode(line)
                if message["type"] == "quit":
                    return
                if message["type"] == "run":
                    fields = {k: v for k, v in message.items() if k != "type"}
                    report = self.run(RunRequest(**fields))
                    self.send("report", report=report.to_dict())
        finally:
            if self.cgroup is not None:
                with contextlib.suppress(OSError):
                    self.cgroup.rmdir()


def _pidfd(pid: int) -> int | None:
    try:
        return os.pidfd_open(pid)
    except (AttributeError, OSError):
        return None


def _kill_group(pid: int) -> None:
    """SIGKILL the run's whole process group (the child made it its own); reaping is left to
    the supervising loop, which needs the exit status."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


def _group_rss(pgid: int) -> int:
    """Resident bytes of every process in the group (from /proc; 0 where unavailable)."""
    total = 0
    proc = Path("/proc")
    if not proc.is_dir():
        return 0
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            fields = stat[stat.rindex(")") + 2 :].split()
            if int(fields[2]) == pgid:  # field 5 of stat: the process group
                total += int(fields[21]) * page  # field 24: rss in pages
        except (OSError, ValueError, IndexError):
            continue
    return total


def _report(
    request: RunRequest, status: int | None, killed_for: str, result: bytes, duration: float
) -> RunReport:
    """Turn what the child wrote and how it ended into the learner's report."""
    limit = f"{request.time_limit_s:g} s"
    verdicts = {
        "timeout": ("timeout", f"the run took longer than its limit of {limit} and was stopped"),
        "memory": (
            "memory",
            f"the run used more than {request.memory_mb} MB of memory and was stopped",
        ),
        "stopped": ("error", "the run was stopped"),
        "output": (
            "error",
            f"the run printed more than {request.output_limit // 1_000_000} MB and was stopped",
        ),
    }
    if killed_for in verdicts:
        outcome, message = verdicts[killed_for]
        return RunReport(request.run_id, outcome, message, duration_s=duration)
    if result:
        try:
            data = json.loads(result)
            data["duration_s"] = duration
            return RunReport.from_dict(data)
        except (ValueError, TypeError):
            pass
    if status is not None and os.WIFSIGNALED(status):
        name = signal.Signals(os.WTERMSIG(status)).name
        return RunReport(
            request.run_id,
            "crashed",
            f"the process crashed with {name}",
            signal=name,
            duration_s=duration,
        )
    code = os.WEXITSTATUS(status) if status is not None else None
    return RunReport(
        request.run_id,
        "error",
        f"the process ended (exit code {code}) before the tests finished — did the code call "
        "os._exit() or close the report pipe?",
        duration_s=duration,
    )


# ---------------------------------------------------------------------- the child
def _child(
    request: RunRequest,
    cgroup: Path | None,
    workdir: Path,
    stdin_path: str,
    out_w: int,
    err_w: int,
    res_w: int,
    parent_fds: tuple[int, ...],
) -> None:
    """Set up isolation, run the tests, write the report, and exit without cleanup."""
    try:
        os.setsid()
        _die_with_parent()
        for fd in parent_fds:
            os.close(fd)
        stdin_fd = os.open(stdin_path, os.O_RDONLY)
        os.dup2(stdin_fd, 0)
        os.dup2(out_w, 1)
        os.dup2(err_w, 2)
        for fd in (stdin_fd, out_w, err_w):
            os.close(fd)
        os.chdir(workdir)
        _limit(request, cgroup)
        report = _run_tests(request)
    except BaseException as exc:  # anything here must still produce a report
        report = RunReport(request.run_id, "error", f"the run could not start: {exc!r}")
    payload = json.dumps(report.to_dict()).encode()
    with contextlib.suppress(BaseException):
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(BaseException):
                stream.flush()
        view = memoryview(payload)
        while view:
            view = view[os.write(res_w, view) :]
    os._exit(0)


def _die_with_parent() -> None:
    """Linux: SIGKILL this child if the worker dies (the child leads its own session, so
    nothing else would end an infinite loop whose worker was killed)."""
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass
    if os.getppid() == 1:  # the worker died before prctl took effect
        os._exit(1)


def _limit(request: RunRequest, cgroup: Path | None) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (MAX_FILE_BYTES, MAX_FILE_BYTES))
    _limit_processes(cgroup)
    # A hard cap on heap growth makes a runaway allocation fail at once with MemoryError. Not
    # with CUDA, whose driver maps large regions of its own; the RSS watch covers that case.
    torch = sys.modules.get("torch")
    cuda_possible = torch is not None and not request.force_cpu and torch.cuda.is_available()
    data = _vm_data_bytes()
    if data is not None and not cuda_possible:
        cap = data + request.memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_DATA, (cap, cap))


def _limit_processes(cgroup: Path | None) -> None:
    """Cap processes + threads: a pids cgroup if the worker made one, else RLIMIT_NPROC.

    RLIMIT_NPROC counts every task of the user and the kernel ignores it for root, so it is set
    to what the user already has plus the allowance, and under root without cgroups a last
    guard makes os.fork fail after the allowance.
    """
    import resource

    if cgroup is not None:
        return  # the worker is in a pids cgroup and the child inherited it
    if os.geteuid() != 0:
        used = _tasks_of_user(os.getuid())
        resource.setrlimit(resource.RLIMIT_NPROC, (used + MAX_PROCESSES, used + MAX_PROCESSES))
        return
    budget = [MAX_PROCESSES]
    real_fork = os.fork

    def limited_fork() -> int:
        if budget[0] <= 0:
            raise BlockingIOError(11, "process limit reached (at most 64 processes per run)")
        budget[0] -= 1
        return real_fork()

    os.fork = limited_fork  # type: ignore[assignment]


def _tasks_of_user(uid: int) -> int:
    """Threads (tasks) owned by ``uid``, as RLIMIT_NPROC counts them."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if int(fields.get("Uid", "-1").split()[0]) == uid:
            total += int(fields.get("Threads", "1").strip())
    return total


def make_pids_cgroup() -> Path | None:
    """A pids cgroup (v1 or v2) limited to MAX_PROCESSES for this worker's runs, if allowed."""
    for base in (Path("/sys/fs/cgroup/pids"), Path("/sys/fs/cgroup")):
        if not (base / "cgroup.procs").exists():
            continue
        group = base / f"studyapp-{os.getpid()}"
        try:
            group.mkdir(exist_ok=True)
            (group / "pids.max").write_text(str(MAX_PROCESSES))
            return group
        except OSError:
            with contextlib.suppress(OSError):
                group.rmdir()
    return None


def _vm_data_bytes() -> int | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmData:"):
                return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def _run_tests(request: RunRequest) -> RunReport:
    import io
    import random

    import numpy as np

    from studyapp.core.exercise_catalog import load_exercise
    from studyapp.core.test_harness import Context, load_solution, run_tests, user_traceback

    sys.stdin = io.TextIOWrapper(os.fdopen(0, "rb", buffering=0), encoding="utf-8")
    sys.stdout = io.TextIOWrapper(os.fdopen(1, "wb"), encoding="utf-8", line_buffering=True)
    sys.stderr = io.TextIOWrapper(os.fdopen(2, "wb"), encoding="utf-8", line_buffering=True)
    seed = int.from_bytes(os.urandom(4), "little")
    random.seed(seed)
    np.random.seed(seed)
    device, device_name = "cpu", ""
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.manual_seed(seed)
        torch.set_num_threads(min(2, os.cpu_count() or 1))
        if not request.force_cpu and torch.cuda.is_available():
            device, device_name = "cuda", torch.cuda.get_device_name(0)
        elif (
            not request.force_cpu
            and getattr(torch.backends, "mps", None)
            and (torch.backends.mps.is_available())
        ):
            device, device_name = "mps", "Apple GPU"
    gpu = device != "cpu"
    exercise = _EXERCISES.get(request.exercise_dir) or load_exercise(Path(request.exercise_dir))
    ctx = Context(
        device=device,
        rtol=request.gpu_rtol if gpu else request.rtol,
        atol=request.gpu_atol if gpu else request.atol,
    )
    base = {"run_id": request.run_id, "device": device, "device_name": device_name}
    try:
        solution = load_solution(request.source)
    except SyntaxError as exc:
        where = f"line {exc.lineno}" if exc.lineno else "the code"
        return RunReport(
            **base,
            outcome="error",
            message=f"SyntaxError at {where}: {exc.msg}",
            traceback="".join(__import__("traceback").format_exception_only(exc)),
            error_line=exc.lineno,
        )
    except MemoryError:
        return RunReport(**base, outcome="memory", message="the code ran out of memory")
    except SystemExit as exc:
        return RunReport(**base, outcome="error", message=f"the code called sys.exit({exc.code!r})")
    except BaseException as exc:  # ImportError, KeyboardInterrupt, anything
        return RunReport(
            **base,
            outcome="error",
            message=f"{type(exc).__name__} while loading the code: {exc}",
            traceback=user_traceback(exc),
            error_line=_last_user_line(exc),
        )
    if request.trace is not None:
        return _run_trace(request, exercise.slug, solution, base)
    try:
        results = run_tests(exercise.tests_path, solution, ctx)
    except SystemExit as exc:
        return RunReport(**base, outcome="error", message=f"the code called sys.exit({exc.code!r})")
    except BaseException as exc:  # KeyboardInterrupt raised by the code
        return RunReport(
            **base,
            outcome="error",
            message=f"{type(exc).__name__} raised by the code",
            traceback=user_traceback(exc),
            error_line=_last_user_line(exc),
        )
    tests = results
    for test in tests:
        if test.status != "passed":
            test.hint = "\n".join(h for h in (test.hint, exercise.hints.get(test.name, "")) if h)
    errors = [t for t in tests if t.status == "error"]
    failures = [t for t in tests if t.status == "failed"]
    if any(t.message.startswith("MemoryError") for t in errors):
        outcome, message = "memory", "the code ran out of memory"
    elif errors:
        outcome = "error"
        message = f"{len(errors)} of {len(tests)} tests raised an exception: {errors[0].message}"
    elif failures:
        outcome = "failed"
        message = f"{len(failures)} of {len(tests)} tests failed"
    else:
        outcome, message = "passed", f"all {len(tests)} tests passed"
    first_error = next((t for t in tests if t.traceback), None)
    return RunReport(
        **base,
        outcome=outcome,
        message=message,
        tests=tests,
        traceback=first_error.traceback if first_error else "",
        error_line=_line_from_traceback(first_error.traceback) if first_error else None,
    )


def _run_trace(request: RunRequest, slug: str, solution: Any, base: dict[str, Any]) -> RunReport:
    """Record the tensors of the learner's attention function instead of running the tests."""
    from studyapp.core.attention_trace import record_call
    from studyapp.core.test_harness import user_traceback

    assert request.trace is not None
    base = {**base, "device": "cpu", "device_name": ""}  # traced in float64 on the CPU
    try:
        trace = record_call(solution, request.source, slug, request.trace)
    except SystemExit as exc:
        return RunReport(**base, outcome="error", message=f"the code called sys.exit({exc.code!r})")
    except BaseException as exc:
        return RunReport(
            **base,
            outcome="error",
            message=f"{type(exc).__name__}: {exc}",
            traceback=user_traceback(exc),
            error_line=_last_user_line(exc),
        )
    return RunReport(**base, outcome="passed", message="traced", trace=trace)


def _last_user_line(exc: BaseException) -> int | None:
    import traceback

    from studyapp.core.test_harness import SOLUTION_FILENAME

    frames = traceback.extract_tb(exc.__traceback__)
    lines = [f.lineno for f in frames if f.filename == SOLUTION_FILENAME]
    return lines[-1] if lines else None


def _line_from_traceback(text: str) -> int | None:
    import re

    found = re.findall(r'File "solution\.py", line (\d+)', text)
    return int(found[-1]) if found else None


def main() -> None:
    """Entry point of the worker process."""
    os.environ.update(THREAD_ENV)
    os.environ.setdefault("MPLBACKEND", "Agg")
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C in a terminal is for the app
    _Worker().serve()


if __name__ == "__main__":
    main()
