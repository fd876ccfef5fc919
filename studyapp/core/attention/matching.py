"""How a tensor of the learner's code is matched to a canonical step: by value, within tolerance.

Why its own module: both the comparison (:mod:`studyapp.core.attention.trace`) and the diagnosis
of a divergence (:mod:`studyapp.core.attention.diagnose`) ask the same question, "is this record
that tensor?", and must answer it the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["ATOL", "RTOL", "TraceRecord", "columns_from", "find", "matches"]

RTOL, ATOL = 1e-6, 1e-9


@dataclass(frozen=True, slots=True)
class TraceRecord:
    """One tensor the learner's code produced."""

    line: int
    source: str
    op: str
    array: np.ndarray


def matches(record: np.ndarray, target: np.ndarray) -> bool:
    """Same shape and values (infinities of the same sign count as equal)."""
    if record.shape != target.shape:
        return False
    both_inf = np.isinf(record) & np.isinf(target) & (np.sign(record) == np.sign(target))
    finite = ~both_inf
    return bool(
        np.all(np.isfinite(record[finite]))
        and np.allclose(record[finite], target[finite], rtol=RTOL, atol=ATOL)
    )


def find(records: Sequence[TraceRecord], target: np.ndarray) -> TraceRecord | None:
    """The first record that :func:`matches` ``target``."""
    return next((r for r in records if matches(r.array, target)), None)


def columns_from(candidate: np.ndarray, fused: np.ndarray) -> bool:
    """Whether every column of ``candidate`` is some column of ``fused`` (same leading axes)."""
    columns = candidate.reshape(-1, candidate.shape[-1]).T
    pool = fused.reshape(-1, fused.shape[-1]).T
    return all(
        any(np.allclose(column, other, rtol=RTOL, atol=ATOL) for other in pool)
        for column in columns
    )
