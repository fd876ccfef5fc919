"""Tracing a learner's attention code in the real drill worker and diagnosing the first bug."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from studyapp.core.attention.steps import DEFAULT_TOKENS, make_inputs, mha_steps
from studyapp.core.attention.trace import compare, records_from_payload, trace_request
from studyapp.core.drills.catalog import Exercise, bundled_exercises_dir, load_exercise
from studyapp.core.drills.runner import DrillRunner

ATTENTION = bundled_exercises_dir() / "attention"
NUMPY = load_exercise(ATTENTION / "multi-head-self-attention-numpy")
TORCH = load_exercise(ATTENTION / "multi-head-attention-torch")
HEADS = 3
INPUTS = make_inputs(DEFAULT_TOKENS, batch=2, d_model=6, seed=7)
ARRAYS = (INPUTS.x, INPUTS.wq, INPUTS.wk, INPUTS.wv, INPUTS.wo)
STEPS = mha_steps(*ARRAYS, HEADS)


@pytest.fixture(scope="module")
def runner() -> Iterator[DrillRunner]:
    with DrillRunner() as r:
        yield r


def trace(runner: DrillRunner, exercise: Exercise, source: str):  # type: ignore[no-untyped-def]
    request = trace_request({"x": INPUTS.x, "wq": INPUTS.wq, "wk": INPUTS.wk,
                             "wv": INPUTS.wv, "wo": INPUTS.wo, "heads": HEADS})  # fmt: skip
    report = runner.run(exercise, source, trace=request, force_cpu=True)
    assert report.outcome == "passed", report.message + report.traceback
    return compare(STEPS, records_from_payload(report.trace), inputs=ARRAYS, heads=HEADS)


def code(exercise: Exercise, name: str | None = None) -> str:
    path = exercise.folder / ("solution.py" if name is None else f"mutants/{name}.py")
    return Path(path).read_text()


@pytest.mark.parametrize("exercise", [NUMPY, TORCH], ids=["numpy", "torch"])
def test_a_correct_solution_is_green_at_every_step(runner: DrillRunner, exercise) -> None:  # type: ignore[no-untyped-def]
    result = trace(runner, exercise, code(exercise))
    assert result.correct
    statuses = {v.key: v.status for v in result.verdicts}
    assert set(statuses.values()) <= {"match", "folded"}
    # The tensors that matter were seen, each with the line of solution.py that made it.
    for key in ("q_heads", "scores", "scaled", "weights", "context", "merged", "output"):
        assert statuses[key] == "match", key
    by_key = {v.key: v for v in result.verdicts}
    source = by_key["weights"].source  # the line that normalised the rows
    assert by_key["weights"].line is not None and ("softmax" in source or "sum" in source)


@pytest.mark.parametrize("exercise", [NUMPY, TORCH], ids=["numpy", "torch"])
@pytest.mark.parametrize(
    ("mutant", "step", "says"),
    [
        ("scale_by_d_model", "scaled", "you scaled by √d_model"),
        ("merge_without_transpose", "merge_transpose", "a transpose is missing before the reshape"),
        ("split_reshape_only", "q_split", "you split with reshape only"),
        ("no_output_projection", "output", "output projection @ W_O is missing"),
    ],
)
def test_buggy_solutions_get_the_first_divergent_step_and_a_diagnosis(
    runner: DrillRunner, exercise: Exercise, mutant: str, step: str, says: str
) -> None:
    result = trace(runner, exercise, code(exercise, mutant))
    assert result.first_divergence == step
    assert says in result.diagnosis["en"]
    assert result.diagnosis["ru"]
    statuses = [v.status for v in result.verdicts]
    index = [v.key for v in result.verdicts].index(step)
    assert statuses[index] == "diverged"
    assert all(s in ("match", "folded") for s in statuses[:index])
    assert all(s == "after" for s in statuses[index + 1 :])


def test_softmax_over_the_wrong_axis_is_named(runner: DrillRunner) -> None:
    source = (
        code(NUMPY)
        .replace("np.max(s, axis=-1, keepdims=True)", "np.max(s, axis=-2, keepdims=True)")
        .replace("np.sum(e, axis=-1, keepdims=True)", "np.sum(e, axis=-2, keepdims=True)")
    )
    result = trace(runner, NUMPY, source)
    assert result.first_divergence == "weights"
    assert "softmax over the wrong axis" in result.diagnosis["en"]
    verdict = {v.key: v for v in result.verdicts}["weights"]
    assert verdict.line is not None and "axis=-2" in verdict.source


def test_an_interleaved_fused_split_is_explained(runner: DrillRunner) -> None:
    result = trace(runner, NUMPY, code(NUMPY, "qkv_interleaved_split"))
    assert result.first_divergence == "q"
    assert "mixes columns of Q, K and V" in result.diagnosis["en"]


def test_weights_applied_like_nn_linear_are_explained(runner: DrillRunner) -> None:
    result = trace(runner, TORCH, code(TORCH, "weights_transposed"))
    assert result.first_divergence == "q"
    assert "x @ W.T" in result.diagnosis["en"]


def test_an_exception_in_the_code_is_reported_with_its_line(runner: DrillRunner) -> None:
    source = code(NUMPY).replace("heads = _softmax(scores) @ v", "heads = _softmax(scores) @ v.T")
    request = trace_request({"x": INPUTS.x, "wq": INPUTS.wq, "wk": INPUTS.wk,
                             "wv": INPUTS.wv, "wo": INPUTS.wo, "heads": HEADS})  # fmt: skip
    report = runner.run(NUMPY, source, trace=request)
    assert report.outcome == "error"
    assert "ValueError" in report.message
    lines = source.splitlines()
    assert report.error_line is not None and "v.T" in lines[report.error_line - 1]
