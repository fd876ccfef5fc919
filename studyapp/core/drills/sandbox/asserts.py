"""Assertions for exercise tests: judge values, never printed text.

Why our own: a failed numeric check must tell the learner what a good judge tells them — the
shape first, then the dtype, then how far off the values are (max absolute and relative error),
the tolerance used and the first index that differs — and none of pytest's or numpy's messages
does all of that. Works on numpy arrays, torch tensors (moved to the CPU) and plain numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = [
    "JudgeFailure",
    "assert_close",
    "assert_equal",
    "assert_true",
]


@dataclass
class JudgeFailure(AssertionError):
    """A test's verdict on a wrong value, with everything needed to explain it."""

    message: str
    details: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


def _fetched(value: Any) -> Any:
    """A learner's object still in its process is fetched as data and judged here.

    The judge never asks the learner's process whether two values are equal: it decodes the
    value into its own numpy/torch objects and compares them with its own code.
    """
    from studyapp.core.drills.sandbox.channel import Remote, RemoteError

    if isinstance(value, Remote):
        try:
            return value.value()
        except RemoteError as exc:
            raise JudgeFailure(
                f"the result is a {value._type} that cannot be checked as a value: {exc}",
                {"kind": "type"},
            ) from None
    return value


def _to_numpy(value: Any) -> Any:
    """torch tensors become numpy arrays on the CPU; other values pass through."""
    value = _fetched(value)
    module = type(value).__module__
    if module.startswith("torch") and hasattr(value, "detach"):
        return value.detach().to("cpu").numpy()
    return value


def _describe(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return f"array of shape {value.shape} and dtype {value.dtype}"
    return f"{type(value).__name__} {value!r}"[:200]


def _preview(array: np.ndarray, index: tuple[int, ...] | None) -> str:
    """A small slice around the first mismatch, so the learner sees numbers, not a wall."""
    with np.printoptions(precision=6, suppress=True, threshold=20, edgeitems=3):
        if index is None or array.ndim == 0:
            return np.array2string(array)
        row = array[index[:-1]] if array.ndim > 1 else array
        return np.array2string(row)


def assert_close(
    actual: Any,
    expected: Any,
    *,
    rtol: float = 1e-6,
    atol: float = 1e-8,
    what: str = "the result",
    check_dtype: bool = True,
) -> None:
    """Shape, then dtype, then values within ``|a - e| <= atol + rtol * |e|`` (NaN equal NaN)."""
    actual, expected = _to_numpy(actual), _to_numpy(expected)
    expected = np.asarray(expected)
    if actual is None:
        raise JudgeFailure(
            f"{what} is None: the function returned nothing (did it print instead of return?)",
            {"kind": "none"},
        )
    if not isinstance(actual, np.ndarray | np.generic | int | float | list | tuple):
        raise JudgeFailure(
            f"{what} should be an array like {_describe(expected)}, got {_describe(actual)}",
            {"kind": "type"},
        )
    actual = np.asarray(actual)
    if actual.shape != expected.shape:
        raise JudgeFailure(
            f"{what} has shape {actual.shape}, expected {expected.shape}",
            {"kind": "shape", "actual_shape": actual.shape, "expected_shape": expected.shape},
        )
    if check_dtype and actual.dtype != expected.dtype:
        raise JudgeFailure(
            f"{what} has dtype {actual.dtype}, expected {expected.dtype}",
            {
                "kind": "dtype",
                "actual_dtype": str(actual.dtype),
                "expected_dtype": str(expected.dtype),
            },
        )
    if actual.dtype.kind not in "biufc" or expected.dtype.kind not in "biufc":
        raise JudgeFailure(f"{what} must be numeric, got dtype {actual.dtype}", {"kind": "type"})
    a = actual.astype(np.complex128 if actual.dtype.kind == "c" else np.float64)
    e = expected.astype(a.dtype)
    both_nan = np.isnan(a) & np.isnan(e)
    with np.errstate(invalid="ignore", over="ignore"):
        diff = np.abs(a - e)
        bad = ~(both_nan | (diff <= atol + rtol * np.abs(e)) | (a == e))
    if not bad.any():
        return
    finite = np.isfinite(diff) & ~both_nan
    max_abs = float(diff[finite].max()) if finite.any() else float("inf")
    with np.errstate(divide="ignore", invalid="ignore"):
        rel = diff / np.abs(e)
    rel_ok = np.isfinite(rel)
    max_rel = float(rel[rel_ok].max()) if rel_ok.any() else float("inf")
    first = tuple(int(i) for i in np.argwhere(bad)[0]) if a.ndim else ()
    count = int(bad.sum())
    where = f" at index {first}" if first else ""
    message = (
        f"{what}: {count} of {bad.size} values differ{where}: got {a[first]!r}, expected "
        f"{e[first]!r}; max abs error {max_abs:.3g}, max rel error {max_rel:.3g} "
        f"(tolerance rtol={rtol:g}, atol={atol:g})"
    )
    if np.isnan(a[first]) or np.isinf(a[first]):
        message += "; a NaN or inf usually means an overflow or a division by zero"
    raise JudgeFailure(
        message,
        {
            "kind": "values",
            "shape": list(a.shape),
            "dtype": str(actual.dtype),
            "mismatches": count,
            "max_abs_error": max_abs,
            "max_rel_error": max_rel,
            "rtol": rtol,
            "atol": atol,
            "first_index": list(first),
            "actual_slice": _preview(a, first),
            "expected_slice": _preview(e, first),
        },
    )


def assert_equal(actual: Any, expected: Any, *, what: str = "the result") -> None:
    """Exact equality for plain Python values (lists, ints, strings)."""
    actual, expected = _fetched(actual), _fetched(expected)
    if actual is None and expected is not None:
        raise JudgeFailure(
            f"{what} is None: the function returned nothing (did it print instead of return?)",
            {"kind": "none"},
        )
    if actual != expected:
        raise JudgeFailure(
            f"{what}: got {actual!r}, expected {expected!r}"[:2000],
            {"kind": "equal", "actual": repr(actual)[:500], "expected": repr(expected)[:500]},
        )


def assert_true(condition: object, message: str) -> None:
    """A property that must hold (a metamorphic or invariant check)."""
    if not condition:
        raise JudgeFailure(message, {"kind": "property"})
