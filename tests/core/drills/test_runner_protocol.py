"""The run protocol between the app and the drill worker: JSON lines, typed outcomes."""

from __future__ import annotations

import json
from dataclasses import asdict

import pytest

from studyapp.core.drills.runner import WorkerInfo
from studyapp.core.drills.runner_protocol import (
    OUTCOMES,
    Outcome,
    RunReport,
    RunRequest,
    TestReport,
    TestStatus,
    decode,
    encode,
)


def _report() -> RunReport:
    return RunReport(
        "r1",
        Outcome.FAILED,
        "1 of 2 tests failed",
        tests=[
            TestReport("test_ok", TestStatus.PASSED, duration_s=0.5),
            TestReport(
                "test_shape",
                TestStatus.FAILED,
                "shape (2,) != (3,)",
                "assert f(x).shape == (3,)",
                {"expected": [3], "got": [2]},
                hint="Check the axis — ось",
            ),
        ],
        device="cuda:0",
        device_name="GPU",
        duration_s=1.25,
        stdout="hello\n",
        error_line=7,
        trace={"records": [{"line": 1, "shape": [1], "data": [0.5]}]},
    )


def test_every_message_is_one_json_line_with_its_type() -> None:
    line = encode("output", run_id="r", stream="stdout", text="привет\nworld")
    assert line.endswith(b"\n") and line.count(b"\n") == 1  # the text's newline is escaped
    assert "привет" in line.decode()  # not \u-escaped
    assert decode(line) == {
        "type": "output",
        "run_id": "r",
        "stream": "stdout",
        "text": "привет\nworld",
    }
    assert decode(line.decode()) == decode(line)


def test_a_request_round_trips_as_the_worker_reads_it() -> None:
    request = RunRequest(
        "r2",
        "def f():\n    return 1\n",
        "/x/numpy-ml/softmax",
        stdin="3\n",
        force_cpu=True,
        trace={"heads": 2, "x": [[[1.0, 2.0]]]},
    )
    message = decode(encode("run", **vars(request)))
    assert message["type"] == "run"
    fields = {k: v for k, v in message.items() if k != "type"}
    assert RunRequest(**fields) == request


def test_a_report_round_trips_with_its_outcome_and_statuses() -> None:
    report = _report()
    message = decode(encode("report", report=report.to_dict()))
    again = RunReport.from_dict(message["report"])
    assert again == report
    assert type(again.outcome) is Outcome and again.outcome is Outcome.FAILED
    assert [type(t.status) for t in again.tests] == [TestStatus, TestStatus]
    assert again.tests[1].details == {"expected": [3], "got": [2]}
    assert not again.passed and RunReport("r", Outcome.PASSED).passed


def test_outcomes_serialise_as_the_same_strings() -> None:
    assert [str(o) for o in Outcome] == [
        "passed",
        "failed",
        "error",
        "timeout",
        "memory",
        "crashed",
    ]
    assert tuple(Outcome) == OUTCOMES and "timeout" in OUTCOMES
    assert [str(s) for s in TestStatus] == ["passed", "failed", "error"]
    data = json.loads(json.dumps(asdict(_report())))
    assert data["outcome"] == "failed" and [t["status"] for t in data["tests"]] == [
        "passed",
        "failed",
    ]
    # Views and the command line compare and look up with plain strings.
    assert Outcome.PASSED == "passed" and {"memory": 1}[Outcome.MEMORY] == 1
    assert f"{Outcome.TIMEOUT.upper()}: x" == "TIMEOUT: x"


def test_strings_become_the_enums() -> None:
    report = RunReport("r", "passed", tests=[TestReport("t", "error")])  # type: ignore[arg-type]
    assert report.outcome is Outcome.PASSED and report.tests[0].status is TestStatus.ERROR
    with pytest.raises(ValueError):
        RunReport("r", "revealed")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        TestReport("t", "skipped")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "line",
    [b"", b"not json\n", b"[1, 2]\n", b'"ready"\n', b"{}\n", b'{"pid": 3}\n', b'{"type": "x"\n'],
)
def test_anything_but_a_message_is_refused(line: bytes) -> None:
    with pytest.raises(ValueError):  # json.JSONDecodeError is a ValueError too
        decode(line)


def test_a_decoded_non_message_names_itself() -> None:
    with pytest.raises(ValueError, match=r"not a protocol message: .*\[1, 2\]"):
        decode(b"[1, 2]\n")
    with pytest.raises(ValueError, match="not a protocol message"):
        decode('{"pid": 3}')


def test_worker_info_is_read_from_the_ready_message() -> None:
    line = encode("ready", pid=1234, torch="2.13.0", python="3.12.1")
    info = WorkerInfo.from_message(decode(line))
    assert info == WorkerInfo(1234, "2.13.0", "3.12.1")
    assert WorkerInfo.from_message(decode(encode("ready", pid=5, torch=None))).torch is None
    for wrong in ({"type": "started", "pid": 1}, {"type": "ready"}, {"type": "ready", "pid": "1"}):
        with pytest.raises(ValueError, match="not a ready message"):
            WorkerInfo.from_message(wrong)
