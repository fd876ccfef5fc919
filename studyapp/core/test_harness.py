"""Runs an exercise's tests against a solution's source, inside the isolated run process.

Why a thin harness and not pytest: pytest's start-up and plugin loading cost about a second,
while this runs the tests of a warm worker's child in microseconds. Tests are plain functions
``test_<name>(sol, ctx)`` in ``tests.py``, run in definition order; ``sol`` is the learner's
module and ``ctx`` carries the device, tolerances and a seeded random generator.
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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studyapp.core.judge import JudgeFailure
from studyapp.core.runner_protocol import TestReport

__all__ = ["PRINTED_HINT", "SOLUTION_FILENAME", "Context", "load_solution", "run_tests"]

#: Shown when a function printed its result and returned None (the classic beginner mistake).
PRINTED_HINT = (
    "The function printed its result instead of returning it: replace print(...) with return ..."
)

#: The name user code is compiled under, so tracebacks say "solution.py, line N" as in the editor.
SOLUTION_FILENAME = "solution.py"


@dataclass
class Context:
    """What a test may use besides the solution."""

    device: str = "cpu"
    rtol: float = 1e-6
    atol: float = 1e-8
    seed: int = 1234

    def rng(self, offset: int = 0) -> Any:
        """A numpy Generator seeded per test, so inputs are the same on every run."""
        import numpy as np

        return np.random.default_rng(self.seed + offset)


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


def _looks_printed(output: str, message: str) -> bool:
    return bool(output.strip()) and "returned nothing" in message


def run_tests(tests_path: Path, solution: types.ModuleType, ctx: Context) -> list[TestReport]:
    """Run every ``test_*`` function of ``tests_path`` against ``solution``, in order."""
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
        started = time.perf_counter()
        try:
            with redirect_stdout(captured):
                function(solution, ctx)
        except JudgeFailure as failure:
            output = captured.getvalue()
            result = TestReport(
                function.__name__,
                "failed",
                failure.message,
                code,
                failure.details,
                output=output[-2000:],
                hint=PRINTED_HINT if _looks_printed(output, failure.message) else "",
            )
        except AssertionError as failure:
            result = TestReport(
                function.__name__, "failed", str(failure) or "assertion failed", code
            )
        except Exception as exc:
            result = TestReport(
                function.__name__,
                "error",
                f"{type(exc).__name__}: {exc}",
                code,
                traceback=user_traceback(exc),
            )
        else:
            result = TestReport(function.__name__, "passed", code=code)
        result.duration_s = time.perf_counter() - started
        if not result.output:
            result.output = captured.getvalue()[-2000:]
        results.append(result)
    return results
