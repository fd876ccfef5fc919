"""A wrong solution that attacks the judge is never reported passed (issue 11, section 1).

Each case is a WRONG softmax (it returns zeros) plus one way code under test used to forge a
pass when the tests, the judge and the report lived in its interpreter. Every case runs in the
real worker and is followed by a normal run that must pass.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from studyapp.core.drills.catalog import load_catalog
from studyapp.core.drills.runner import DrillRunner

EXERCISES, _ = load_catalog()
SOFTMAX = next(e for e in EXERCISES if e.key == "numpy-ml/softmax")
GOOD = SOFTMAX.solution_path.read_text()
WRONG = "import numpy as np\n\n\ndef softmax(x):\n    return np.zeros_like(x)\n"

FORGED = (
    '{"run_id": "x", "outcome": "passed", "message": "all 7 tests passed", "tests": [], '
    '"device": "cpu"}'
)

ATTACKS = {
    "no-op judge assertions": """
import studyapp.core.drills.sandbox.asserts as judge
judge.assert_close = lambda *a, **k: None
judge.assert_equal = lambda *a, **k: None
judge.assert_true = lambda *a, **k: None
""",
    "inspect.isfunction says no": """
import inspect
inspect.isfunction = lambda v: False
""",
    "report class forced to passed": """
import studyapp.core.drills.runner_protocol as protocol


class Forced(protocol.RunReport):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.outcome, self.message, self.tests = "passed", "all 7 tests passed", []


protocol.RunReport = Forced
for name in ("__main__", "studyapp.core.drills.sandbox.worker",
             "studyapp.core.drills.sandbox.judge"):
    import sys
    if name in sys.modules:
        sys.modules[name].RunReport = Forced
""",
    "json.dumps wrapped": """
import json
_dumps = json.dumps


def dumps(obj, *args, **kwargs):
    if isinstance(obj, dict) and "outcome" in obj:
        obj = {**obj, "outcome": "passed", "message": "all 7 tests passed", "tests": []}
    return _dumps(obj, *args, **kwargs)


json.dumps = dumps
""",
    "forged report on every descriptor, then os._exit(0)": f"""
import os, stat
forged = {FORGED!r}.encode()
for name in os.listdir("/proc/self/fd"):
    fd = int(name)
    try:
        if fd > 2 and stat.S_ISSOCK(os.fstat(fd).st_mode):  # a reply frame on a socket
            os.write(fd, len(forged).to_bytes(4, "little") + forged)
        elif fd > 2:  # the report itself on a pipe
            os.write(fd, forged)
    except OSError:
        pass
os._exit(0)
""",
    "forged report to the parent's descriptors": f"""
import os
forged = {FORGED!r}.encode()
parent = os.getppid()
try:
    names = os.listdir(f"/proc/{{parent}}/fd")
except OSError:
    names = []
for name in names:
    try:
        fd = os.open(f"/proc/{{parent}}/fd/{{name}}", os.O_WRONLY | os.O_NONBLOCK)
        os.write(fd, forged)
        os.close(fd)
    except OSError:
        pass
""",
    "forged report to the parent's descriptors, then the parent killed": f"""
import os, signal
forged = {FORGED!r}.encode()
parent = os.getppid()
try:
    names = os.listdir(f"/proc/{{parent}}/fd")
except OSError:
    names = []
for name in names:
    try:
        fd = os.open(f"/proc/{{parent}}/fd/{{name}}", os.O_WRONLY | os.O_NONBLOCK)
        os.write(fd, forged)
        os.close(fd)
    except OSError:
        pass
try:
    os.kill(parent, signal.SIGKILL)
except OSError:
    pass
""",
    "numpy.abs/all/array_equal patched": """
import numpy as np
np.abs = lambda x, *a, **k: np.zeros(np.shape(x))
np.absolute = np.abs
np.all = lambda *a, **k: True
np.array_equal = lambda *a, **k: True
np.allclose = lambda *a, **k: True
np.isclose = lambda a, b, *r, **k: np.ones(np.broadcast(a, b).shape, dtype=bool)
""",
}


@pytest.fixture(scope="module")
def runner() -> Iterator[DrillRunner]:
    with DrillRunner() as r:
        yield r


def _then_a_normal_run_passes(runner: DrillRunner) -> None:
    after = runner.run(SOFTMAX, GOOD)
    assert after.outcome == "passed", after.message


@pytest.mark.parametrize("name", list(ATTACKS))
def test_an_attack_on_the_judge_never_passes(runner: DrillRunner, name: str) -> None:
    report = runner.run(SOFTMAX, ATTACKS[name] + "\n" + WRONG)
    assert report.outcome != "passed", (name, report.message)
    assert report.message and report.message != "all 7 tests passed"
    _then_a_normal_run_passes(runner)


def test_the_wrong_solution_alone_fails_the_same_way(runner: DrillRunner) -> None:
    """The attacks change nothing: the verdict is the plain wrong solution's verdict."""
    plain = runner.run(SOFTMAX, WRONG)
    patched = runner.run(SOFTMAX, ATTACKS["no-op judge assertions"] + WRONG)
    assert plain.outcome == patched.outcome == "failed"
    assert [t.status for t in plain.tests] == [t.status for t in patched.tests]


def test_a_crafted_pickle_on_the_channel_is_never_unpickled(
    runner: DrillRunner, tmp_path: Path
) -> None:
    marker = tmp_path / "unpickled"
    attack = f"""
import os, pickle, socket


class Payload:
    def __reduce__(self):
        return (os.system, ("touch {marker}",))


frame = pickle.dumps(Payload())
frame = len(frame).to_bytes(4, "little") + frame
for name in os.listdir("/proc/self/fd"):
    try:
        os.write(int(name), frame)
    except OSError:
        pass
"""
    report = runner.run(SOFTMAX, attack + WRONG)
    assert report.outcome != "passed", report.message
    assert not marker.exists()
    _then_a_normal_run_passes(runner)


def test_an_oversized_reply_is_refused_not_read(runner: DrillRunner) -> None:
    attack = """
import os, socket
for name in os.listdir("/proc/self/fd"):
    fd = int(name)
    try:
        sock = socket.socket(fileno=os.dup(fd))
    except OSError:
        continue
    try:
        sock.sendall((2**31).to_bytes(4, "little") + b"x" * 1024)
    except OSError:
        pass
"""
    report = runner.run(SOFTMAX, attack + WRONG)
    assert report.outcome == "error", report.message
    assert "larger than" in report.message or "invalid" in report.message
    _then_a_normal_run_passes(runner)


def test_a_learner_that_answers_every_call_with_the_expected_value_is_not_trusted(
    runner: DrillRunner,
) -> None:
    """Values the judge compares are computed by the judge: the learner cannot read them."""
    attack = """
import numpy as np


def softmax(x):
    import studyapp.core.drills.sandbox.asserts as judge
    expected = getattr(judge, "_last_expected", None)
    return np.zeros_like(x) if expected is None else expected
"""
    report = runner.run(SOFTMAX, attack)
    assert report.outcome == "failed", report.message
    _then_a_normal_run_passes(runner)
