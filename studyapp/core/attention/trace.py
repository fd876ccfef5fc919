"""Trace a learner's multi-head attention function and find the first step where it goes wrong.

Two halves, because user code never runs in the app's process:

* :func:`record_call` runs *inside the drill worker's child*: it calls the learner's function on
  the visualizer's inputs and records every array or tensor the code produces, with the line of
  ``solution.py`` that produced it. numpy inputs are a recording ``ndarray`` subclass (every ufunc,
  ``@``, reshape, transpose, slice and numpy function on them is logged); torch runs under a
  ``TorchFunctionMode``; and a line tracer also logs new local variables and return values, so
  code that drops the subclass (``np.asarray``) is still seen.
* :func:`compare` runs in the app: it matches the records onto the canonical steps of
  :func:`studyapp.core.attention.steps.mha_steps` *by value*, marks the first step that diverges,
  and explains it (:mod:`studyapp.core.attention.diagnose`) by checking which classic mistake
  reproduces the learner's tensor.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from types import FrameType, ModuleType
from typing import Any

import numpy as np

from studyapp.core.attention.diagnose import diagnose
from studyapp.core.attention.matching import TraceRecord, find
from studyapp.core.attention.steps import Step
from studyapp.core.drills.sandbox.harness import SOLUTION_FILENAME

__all__ = [
    "TRACEABLE",
    "StepVerdict",
    "TraceRecord",
    "TraceResult",
    "compare",
    "record_call",
    "records_from_payload",
    "trace_request",
]

#: Drills whose function can be traced: slug → (library, function name, how weights are passed).
TRACEABLE: dict[str, tuple[str, str]] = {
    "multi-head-self-attention-numpy": ("numpy", "multi_head_self_attention"),
    "multi-head-attention-torch": ("torch", "multi_head_attention"),
}

#: Bounds that keep a runaway loop from filling the pipe back to the app.
MAX_RECORDS = 600
MAX_ELEMENTS = 4096


@dataclass(frozen=True, slots=True)
class StepVerdict:
    """How one canonical step fared: ``match``, ``folded`` (fine, never a separate tensor),
    ``diverged`` (the first wrong one) or ``after`` (not judged: it follows the divergence)."""

    key: str
    status: str
    line: int | None = None
    source: str = ""
    max_error: float | None = None
    #: The learner's tensor shown for a diverged step (the one the diagnosis is about).
    values: np.ndarray | None = None


@dataclass(frozen=True, slots=True)
class TraceResult:
    verdicts: tuple[StepVerdict, ...]
    first_divergence: str | None
    diagnosis: dict[str, str] = field(default_factory=dict)

    @property
    def correct(self) -> bool:
        return self.first_divergence is None


# ---------------------------------------------------------------------- recording (child side)
class _Recorder:
    def __init__(self, lines: Sequence[str]) -> None:
        self.lines = lines
        self.records: list[dict[str, Any]] = []
        self.seen: set[tuple[int, int]] = set()
        self.busy = False

    def user_line(self) -> int | None:
        frame: FrameType | None = sys._getframe(2)
        while frame is not None:
            if frame.f_code.co_filename == SOLUTION_FILENAME:
                return frame.f_lineno
            frame = frame.f_back
        return None

    def add(self, value: Any, op: str, line: int | None = None) -> None:
        if self.busy or len(self.records) >= MAX_RECORDS:
            return
        self.busy = True
        try:
            if line is None:
                line = self.user_line()
            if line is None:
                return
            array = _as_numpy(value)
            if array is None or array.size > MAX_ELEMENTS or array.size == 0:
                return
            marker = (line, hash(array.tobytes()))
            if marker in self.seen:
                return
            self.seen.add(marker)
            source = self.lines[line - 1].strip() if 0 < line <= len(self.lines) else ""
            self.records.append(
                {
                    "line": line,
                    "source": source,
                    "op": op,
                    "shape": list(array.shape),
                    "data": array.ravel().tolist(),
                }
            )
        finally:
            self.busy = False


_RECORDER: _Recorder | None = None


def _as_numpy(value: Any) -> np.ndarray | None:
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in "fiu":
            return None
        return np.asarray(value.view(np.ndarray), dtype=np.float64)
    torch = sys.modules.get("torch")
    if torch is not None and isinstance(value, torch.Tensor):
        if not (value.dtype.is_floating_point or value.dtype in (torch.int64, torch.int32)):
            return None
        with torch._C.DisableTorchFunction():
            return value.detach().to("cpu", torch.float64).numpy().copy()
    return None


def _note(value: Any, op: str) -> Any:
    if _RECORDER is not None:
        if isinstance(value, (tuple, list)):
            for item in value:
                _RECORDER.add(item, op)
        else:
            _RECORDER.add(value, op)
    return value


class TracedArray(np.ndarray):
    """An ndarray that logs what is computed from it (only while a trace runs)."""

    def __array_ufunc__(self, ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Any:
        args = [i.view(np.ndarray) if isinstance(i, TracedArray) else i for i in inputs]
        if "out" in kwargs:
            kwargs["out"] = tuple(
                o.view(np.ndarray) if isinstance(o, TracedArray) else o for o in kwargs["out"]
            )
        result = getattr(ufunc, method)(*args, **kwargs)
        return _note(_wrap(result), ufunc.__name__)

    def __array_function__(self, func: Any, types: Any, args: Any, kwargs: Any) -> Any:
        result = super().__array_function__(func, types, args, kwargs)
        return _note(_wrap(result), getattr(func, "__name__", "numpy"))

    def reshape(self, *shape: Any, **kwargs: Any) -> Any:
        return _note(super().reshape(*shape, **kwargs), "reshape")

    def transpose(self, *axes: Any) -> Any:
        return _note(super().transpose(*axes), "transpose")

    def swapaxes(self, a: int, b: int) -> Any:  # type: ignore[override]
        return _note(super().swapaxes(a, b), "swapaxes")

    def __getitem__(self, index: Any) -> Any:
        return _note(super().__getitem__(index), "index")

    @property
    def T(self) -> Any:
        return _note(super().T, "T")


def _wrap(result: Any) -> Any:
    if isinstance(result, np.ndarray) and not isinstance(result, TracedArray):
        return result.view(TracedArray)
    if isinstance(result, tuple):
        return tuple(_wrap(r) for r in result)
    if isinstance(result, list):
        return [_wrap(r) for r in result]
    return result


def _line_tracer(recorder: _Recorder) -> Callable[..., Any]:
    """Logs new local arrays after each line of solution.py, and every value it returns."""

    line_of: dict[int, int] = {}

    def wrapped(frame: FrameType, event: str, arg: Any) -> Any:
        previous = line_of.get(id(frame))
        if previous is not None:
            for name, value in list(frame.f_locals.items()):
                if not name.startswith("__"):
                    recorder.add(value, f"= {name}", previous)
        if event == "return":
            recorder.add(arg, "return", frame.f_lineno)
            line_of.pop(id(frame), None)
        else:
            line_of[id(frame)] = frame.f_lineno
        return wrapped

    def global_trace(frame: FrameType, event: str, arg: Any) -> Any:
        if frame.f_code.co_filename != SOLUTION_FILENAME:
            return None
        return wrapped

    return global_trace


def trace_request(inputs: dict[str, Any]) -> dict[str, Any]:
    """The JSON-safe inputs the app sends: x, wq, wk, wv, wo as nested lists, and heads."""
    return {
        "x": np.asarray(inputs["x"]).tolist(),
        **{k: np.asarray(inputs[k]).tolist() for k in ("wq", "wk", "wv", "wo")},
        "heads": int(inputs["heads"]),
    }


def record_call(
    solution: ModuleType, source: str, slug: str, request: dict[str, Any]
) -> dict[str, Any]:
    """Call the drill's function on the request's inputs, logging every tensor (child side).

    Returns ``{"records": [...], "output_shape": [...]}``; exceptions from the learner's code
    propagate so the worker reports them like a failed run, with the line.
    """
    global _RECORDER
    library, name = TRACEABLE[slug]
    function = getattr(solution, name, None)
    if not callable(function):
        raise AttributeError(f"solution.py defines no function {name}()")
    arrays = {k: np.asarray(request[k], dtype=np.float64) for k in ("x", "wq", "wk", "wv", "wo")}
    heads = int(request["heads"])
    recorder = _Recorder(source.splitlines())
    _RECORDER = recorder
    previous_trace = sys.gettrace()
    try:
        if library == "numpy":
            traced = {k: v.view(TracedArray) for k, v in arrays.items()}
            w_qkv = np.concatenate([arrays["wq"], arrays["wk"], arrays["wv"]], axis=1)
            sys.settrace(_line_tracer(recorder))
            try:
                output = function(traced["x"], w_qkv.view(TracedArray), traced["wo"], heads)
            finally:
                sys.settrace(previous_trace)
        else:
            import torch
            from torch.overrides import TorchFunctionMode

            class Mode(TorchFunctionMode):
                def __torch_function__(
                    self, func: Any, types: Any, args: Any = (), kwargs: Any = None
                ) -> Any:
                    result = func(*args, **(kwargs or {}))
                    return _note(result, getattr(func, "__name__", "torch"))

            tensors = {k: torch.from_numpy(v) for k, v in arrays.items()}
            sys.settrace(_line_tracer(recorder))
            try:
                with Mode():
                    output = function(
                        tensors["x"],
                        tensors["wq"],
                        tensors["wk"],
                        tensors["wv"],
                        tensors["wo"],
                        heads,
                    )
            finally:
                sys.settrace(previous_trace)
        out = _as_numpy(output)
        if out is None:
            raise TypeError(
                f"{name}() returned {type(output).__name__}, not an array: return the output"
            )
        recorder.add(out, "return", recorder.records[-1]["line"] if recorder.records else 1)
        return {"records": recorder.records, "output_shape": list(out.shape)}
    finally:
        _RECORDER = None


# ---------------------------------------------------------------------- comparing (app side)
def records_from_payload(payload: dict[str, Any]) -> list[TraceRecord]:
    """Rebuild the records the child sent as JSON."""
    return [
        TraceRecord(
            int(r["line"]),
            str(r["source"]),
            str(r["op"]),
            np.asarray(r["data"], dtype=np.float64).reshape(r["shape"]),
        )
        for r in payload.get("records", [])
    ]


def compare(
    steps: Sequence[Step],
    records: Sequence[TraceRecord],
    *,
    inputs: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    heads: int,
) -> TraceResult:
    """Match records onto the steps by value and explain the first divergence.

    A step before the last matched one that was never a separate tensor is ``folded`` (for
    example ``(q / sqrt(Dh)) @ k.T`` never materialises the unscaled scores): that is fine.
    """
    found = [find(records, step.array) for step in steps]
    found[0] = found[0] or TraceRecord(0, "", "input", steps[0].array)  # X is given, not made
    last = max(i for i, r in enumerate(found) if r is not None)
    verdicts: list[StepVerdict] = []
    divergence = None if last == len(steps) - 1 else last + 1
    for i, (step, record) in enumerate(zip(steps, found, strict=True)):
        if record is not None and (divergence is None or i < divergence):
            verdicts.append(StepVerdict(step.key, "match", record.line or None, record.source))
        elif divergence is None or i < divergence:
            verdicts.append(StepVerdict(step.key, "folded"))
        elif i == divergence:
            verdicts.append(_diverged(step, records))
        else:
            verdicts.append(StepVerdict(step.key, "after"))
    if divergence is None:
        return TraceResult(tuple(verdicts), None)
    step = steps[divergence]
    diagnosis, culprit = diagnose(steps, divergence, records, inputs, heads)
    if culprit is not None:
        error = _max_error(culprit.array, step.array)
        verdicts[divergence] = StepVerdict(
            step.key, "diverged", culprit.line, culprit.source, error, culprit.array
        )
    return TraceResult(tuple(verdicts), step.key, diagnosis)


def _max_error(a: np.ndarray, b: np.ndarray) -> float | None:
    if a.shape != b.shape:
        return None
    with np.errstate(invalid="ignore"):
        diff = np.abs(np.where(np.isfinite(a) & np.isfinite(b), a - b, 0.0))
    return float(diff.max()) if diff.size else 0.0


def _diverged(step: Step, records: Sequence[TraceRecord]) -> StepVerdict:
    same_shape = [r for r in records if r.array.shape == step.array.shape]
    if not same_shape:
        return StepVerdict(step.key, "diverged")
    closest = min(same_shape, key=lambda r: _max_error(r.array, step.array) or math.inf)
    return StepVerdict(
        step.key,
        "diverged",
        closest.line,
        closest.source,
        _max_error(closest.array, step.array),
        closest.array,
    )
