"""Messages between the app and the drill worker process, as JSON lines.

Why JSON lines on the worker's own pipes: user code never writes to them (its stdout and stderr
go to separate pipes, its stdin is a file), so a learner's ``print`` can never be mistaken for a
protocol message, and no ``eval`` is ever needed to read one.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

__all__ = [
    "OUTCOMES",
    "Outcome",
    "RunReport",
    "RunRequest",
    "TestReport",
    "TestStatus",
    "decode",
    "encode",
]


class Outcome(StrEnum):
    """Every way a run can end, from best to worst.

    A ``StrEnum``: a member equals its string (``Outcome.PASSED == "passed"``) and serialises as
    it in JSON and SQLite, so reports, the database and the views read exactly as before.
    """

    PASSED = "passed"
    FAILED = "failed"
    ERROR = "error"
    TIMEOUT = "timeout"
    MEMORY = "memory"
    CRASHED = "crashed"


#: Every way a run can end, from best to worst (the members of :class:`Outcome`).
OUTCOMES: tuple[Outcome, ...] = tuple(Outcome)


class TestStatus(StrEnum):
    """One test's verdict: it passed, an assertion failed, or it raised something else."""

    __test__ = False  # not a pytest test class, despite its name

    PASSED = "passed"
    FAILED = "failed"
    ERROR = "error"


@dataclass
class RunRequest:
    """Run ``source`` against the tests of the exercise in ``exercise_dir``."""

    run_id: str
    source: str
    exercise_dir: str
    time_limit_s: float = 10.0
    memory_mb: int = 2048
    stdin: str = ""
    force_cpu: bool = False
    rtol: float = 1e-6
    atol: float = 1e-8
    gpu_rtol: float = 2e-3
    gpu_atol: float = 1e-4
    output_limit: int = 1_000_000
    #: Set for "Visualize my solution": trace the attention function on these inputs instead of
    #: running the tests (see :mod:`studyapp.core.attention.trace`).
    trace: dict[str, Any] | None = None


@dataclass
class TestReport:
    """One test's verdict as the learner sees it."""

    __test__ = False  # not a pytest test class, despite its name

    name: str
    status: TestStatus
    message: str = ""
    code: str = ""
    details: dict[str, Any] = field(default_factory=dict)
    traceback: str = ""
    output: str = ""
    duration_s: float = 0.0
    hint: str = ""

    def __post_init__(self) -> None:
        self.status = TestStatus(self.status)  # a string from JSON (or a caller) becomes the enum


@dataclass
class RunReport:
    """The outcome of one run, with everything needed to explain it."""

    run_id: str
    outcome: Outcome
    message: str = ""
    tests: list[TestReport] = field(default_factory=list)
    device: str = "cpu"
    device_name: str = ""
    duration_s: float = 0.0
    stdout: str = ""
    stderr: str = ""
    traceback: str = ""
    #: 1-based line in the learner's code where an exception happened, if any.
    error_line: int | None = None
    signal: str = ""
    output_truncated: bool = False
    #: The recorded tensors of a trace run (empty for a test run).
    trace: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.outcome = Outcome(self.outcome)  # a string from JSON (or a caller) becomes the enum

    @property
    def passed(self) -> bool:
        return self.outcome == Outcome.PASSED

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RunReport:
        tests = [TestReport(**t) for t in data.get("tests", [])]
        return cls(**{**data, "tests": tests})


def encode(kind: str, **payload: Any) -> bytes:
    """One protocol message as a JSON line."""
    return (json.dumps({"type": kind, **payload}, ensure_ascii=False) + "\n").encode()


def decode(line: bytes | str) -> dict[str, Any]:
    """Parse one protocol line (raises ValueError on anything that is not a message)."""
    message = json.loads(line)
    if not isinstance(message, dict) or "type" not in message:
        raise ValueError(f"not a protocol message: {line!r:.200}")
    return message
