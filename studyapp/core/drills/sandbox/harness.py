"""Runs an exercise's tests in the trusted judge process against the learner's remote module.

Why a thin harness and not pytest: pytest's start-up and plugin loading cost about a second, while
this runs the tests of a warm worker's child in microseconds. Tests are plain functions
``test_<name>(sol, ctx)`` in ``tests.py``, run in definition order. ``sol`` is the learner's module,
which lives in another, confined process: a :class:`~studyapp.core.drills.sandbox.channel.Remote`
whose functions are called through the call channel. ``ctx`` carries the device, tolerances, a
seeded random generator, and the channel helpers a test may need (``ctx.remote("torch")`` to build
objects inside the learner's process, ``ctx.timed`` for growth checks).
"""

from __future__ import annotations

import inspect
import io
import linecache
import sys
import time
import traceback
import types
from contextlib import redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from studyapp.core.drills.runner_protocol import TestReport, TestStatus
from studyapp.core.drills.sandbox.asserts import JudgeFailure

__all__ = [
    "PRINTED_HINT",
    "ROUND_TRIP_S",
    "SOLUTION_FILENAME",
    "Context",
    "load_solution",
    "run_tests",
]

#: Shown when a function printed its result and returned None (the classic beginner mistake).
PRINTED_HINT = (
    "The function printed its result instead of returning it: replace print(...) with return ..."
)

#: The fixed cost of one call-channel round trip that ``Context.timed`` takes off a measurement.
ROUND_TRIP_S = 0.0002

#: The name user code is compiled under, so tracebacks say "solution.py, line N" as in the editor.
SOLUTION_FILENAME = "solution.py"


@dataclass
class Context:
    """What a test may use besides the solution."""

    device: str = "cpu"
    rtol: float = 1e-6
    atol: float = 1e-8
    seed: int = 1234
    #: The call channel to the learner's process (a ``call_channel.Channel``).
    channel: Any = field(default=None, repr=False)
    #: The learner's source text, for rules a statement makes about the code itself ("no
    #: scipy", "no division"): checked here on the AST, never by asking the learner's process.
    source: str = field(default="", repr=False)

    def rng(self, offset: int = 0) -> Any:
        """A numpy Generator seeded per test, so inputs are the same on every run."""
        import numpy as np

        return np.random.default_rng(self.seed + offset)

    def remote(self, module: str) -> Any:
        """A module imported inside the learner's process, to build objects there (an
        ``nn.Linear`` or an optimizer handed to the learner's code): ``ctx.remote("torch")``."""
        return self.channel.remote_module(module)

    def send(self, value: Any) -> Any:
        """A copy of ``value`` kept in the learner's process, used through a handle (a tensor
        whose ``.grad`` the test reads after the learner's code ran backward)."""
        return self.channel.keep(value)

    def define(self, source: str) -> Any:
        """Helper classes or functions (``source``) built inside the learner's process, for
        objects the learner's code is handed (a linked-list node, a toy model); a module
        handle. Whatever they compute there is checked here like any other returned value."""
        return self.channel.define(source)

    def same(self, a: Any, b: Any) -> bool:
        """Whether two handles name the same object in the learner's process (``a is b``
        there; each attribute access makes a new handle here)."""
        return self.channel.request("same", a=[a, b]) is True

    def call_many(self, obj: Any, calls: list[tuple[str, tuple[Any, ...]]]) -> list[Any]:
        """Call ``obj.name(*args)`` for each ``(name, args)`` in one round trip; the results."""
        return obj._ask("many", a=[[list(c) for c in calls]])

    def timed(self, function: Any, *args: Any, **kwargs: Any) -> tuple[Any, float]:
        """``(function(*args, **kwargs), seconds)`` measured here, in the judge, minus the
        channel's own cost, so growth checks judge the learner's algorithm.

        The cost taken off is measured here only: encoding the arguments (counted twice: the
        learner's process decodes them), decoding the replies, and encoding each reply again
        here (what the learner's process spent encoding it, estimated by doing the same work;
        a padded reply costs the learner as much as it takes off), plus a fixed cost per round
        trip. Nothing the learner's process reports enters the figure.
        """
        channel = self.channel
        before = (channel.encode_s, channel.decode_s, channel.reply_encode_s, channel.requests)
        channel.timing = True
        try:
            started = time.perf_counter()
            result = function(*args, **kwargs)
            elapsed = time.perf_counter() - started
        finally:
            channel.timing = False
        overhead = 2 * (channel.encode_s - before[0]) + (channel.decode_s - before[1])
        overhead += 2 * (channel.reply_encode_s - before[2])  # this re-encoding and theirs
        overhead += ROUND_TRIP_S * (channel.requests - before[3])
        return result, max(0.0, elapsed - overhead)

    def isinstance(self, value: Any, qualname: str) -> bool:
        """Whether ``value`` (data here or a learner's object) is a ``qualname``, e.g.
        ``"torch.Tensor"``. For a learner's object the learner's process names its classes, so
        use it for friendly messages, never as the verdict."""
        from studyapp.core.drills.sandbox.channel import Remote

        if isinstance(value, Remote):
            return qualname in value.type_names()
        return qualname in {f"{c.__module__}.{c.__qualname__}" for c in type(value).__mro__}


def load_solution(source: str, name: str = "solution") -> types.ModuleType:
    """Execute user source as a fresh module; SyntaxError and import errors propagate."""
    module = types.ModuleType(name)
    module.__file__ = SOLUTION_FILENAME
    # Lets tracebacks and inspect show the user's lines although the file is not on disk.
    linecache.cache[SOLUTION_FILENAME] = (
        len(source),
        None,
        source.splitlines(keepends=True),
        SOLUTION_FILENAME,
    )
    code = compile(source, SOLUTION_FILENAME, "exec")
    sys.modules[name] = module
    exec(code, module.__dict__)
    return module


def user_traceback(exc: BaseException) -> str:
    """The traceback cut to the frames in the learner's code (the last frame if none)."""
    frames = traceback.extract_tb(exc.__traceback__)
    mine = [f for f in frames if f.filename == SOLUTION_FILENAME]
    shown = traceback.StackSummary.from_list(mine or frames[-1:])
    lines = ["Traceback (most recent call last):\n", *shown.format()]
    lines.extend(traceback.format_exception_only(type(exc), exc))
    return "".join(lines)


def _function_sources(source: str) -> dict[str, str]:
    """Each top-level function's source text, found in one parse (inspect re-reads per call)."""
    import ast

    tree = ast.parse(source)
    return {
        node.name: ast.get_source_segment(source, node) or ""
        for node in tree.body
        if isinstance(node, ast.FunctionDef)
    }


def _output(captured: io.StringIO, ctx: Context) -> str:
    """What the test printed here plus what the learner's code printed during its calls."""
    remote = ctx.channel.take_output() if ctx.channel is not None else ""
    return captured.getvalue() + remote


def _looks_printed(output: str, message: str) -> bool:
    return bool(output.strip()) and "returned nothing" in message


def run_tests(tests_path: Path, solution: Any, ctx: Context) -> list[TestReport]:
    """Run every ``test_*`` function of ``tests_path`` against ``solution``, in order.

    Runs in the judge: the learner's exceptions arrive as ``RemoteError`` (with the traceback
    their process cut to solution.py), and what the learner's code printed during a test comes
    back with each call. A dead learner's process (``ChannelBroken``) or ``sys.exit`` in its code
    (``LearnerAbort``) are not test errors: they end the run and propagate.
    """
    from studyapp.core.drills.sandbox.channel import RemoteError

    spec_source = tests_path.read_text(encoding="utf-8")
    tests_module = types.ModuleType("exercise_tests")
    tests_module.__file__ = str(tests_path)
    exec(compile(spec_source, str(tests_path), "exec"), tests_module.__dict__)
    functions = [
        value
        for name, value in vars(tests_module).items()
        if name.startswith("test_") and inspect.isfunction(value)
    ]
    sources = _function_sources(spec_source)
    results = []
    for function in functions:
        code = sources.get(function.__name__, "")
        captured = io.StringIO()
        if ctx.channel is not None:
            ctx.channel.take_output()
        started = time.perf_counter()
        try:
            with redirect_stdout(captured):
                function(solution, ctx)
        except JudgeFailure as failure:
            output = _output(captured, ctx)
            result = TestReport(
                function.__name__,
                TestStatus.FAILED,
                failure.message,
                code,
                failure.details,
                output=output[-2000:],
                hint=PRINTED_HINT if _looks_printed(output, failure.message) else "",
            )
        except RemoteError as exc:
            result = TestReport(
                function.__name__,
                TestStatus.ERROR,
                f"{exc.type_name}: {exc}",
                code,
                traceback=exc.remote_traceback,
            )
        except AssertionError as failure:
            result = TestReport(
                function.__name__, TestStatus.FAILED, str(failure) or "assertion failed", code
            )
        except Exception as exc:
            result = TestReport(
                function.__name__,
                TestStatus.ERROR,
                f"{type(exc).__name__}: {exc}",
                code,
                traceback=user_traceback(exc),
            )
        else:
            result = TestReport(function.__name__, TestStatus.PASSED, code=code)
        result.duration_s = time.perf_counter() - started
        if not result.output:
            result.output = _output(captured, ctx)[-2000:]
        results.append(result)
    return results
