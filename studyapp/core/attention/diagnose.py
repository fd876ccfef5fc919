"""Why a learner's attention code went wrong at its first diverging step, in English and Russian.

Why a table of checks: each classic mistake is reproduced with
:func:`studyapp.core.attention.steps.mha_steps` (``mistake=...``) and looked for among the
learner's tensors; when none fits, a few structural checks (transposed weights, mixed fused
columns, a missing output projection, right numbers in the wrong places, ...) run in order. The
first check that recognises the learner's tensor explains the divergence.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from studyapp.core.attention.matching import TraceRecord, columns_from, find, matches
from studyapp.core.attention.steps import MISTAKES, Step, mha_steps

__all__ = ["MISTAKE_DIAGNOSES", "Diagnosis", "Inputs", "diagnose"]

#: x, wq, wk, wv, wo: the inputs the learner's function was called with.
Inputs = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]
#: The explanation ({"en": ..., "ru": ...}) and the learner's tensor it is about, if one is.
Diagnosis = tuple[dict[str, str], TraceRecord | None]

#: What each classic mistake looks like from the outside ({factor} is filled in), EN and RU.
MISTAKE_DIAGNOSES: dict[str, tuple[str, str]] = {
    "scale_by_d_model": (
        "scores are off by a factor √d_model/√Dh = {factor:.3g} — you scaled by √d_model; divide "
        "by √Dh = √(d_model / heads)",
        "оценки отличаются в √d_model/√Dh = {factor:.3g} раза — вы делили на √d_model; делите на "
        "√Dh = √(d_model / heads)",
    ),
    "no_scaling": (
        "scores are {factor:.3g} = √Dh times too large — they were not scaled; divide by √Dh",
        "оценки в {factor:.3g} = √Dh раза больше — их не масштабировали; делите на √Dh",
    ),
    "softmax_wrong_axis": (
        "rows of the weights do not sum to 1 over keys — softmax over the wrong axis; use the "
        "last axis (keys)",
        "строки весов не суммируются в 1 по ключам — softmax не по той оси; берите последнюю ось "
        "(ключи)",
    ),
    "mask_after_softmax": (
        "the weights were masked after softmax, so rows no longer sum to 1 — mask the scores "
        "with −∞ before softmax",
        "веса маскировали после softmax, и строки больше не суммируются в 1 — ставьте −∞ в "
        "оценках до softmax",
    ),
    "split_reshape_only": (
        "the heads hold pieces of several tokens — you split with reshape only; reshape to "
        "(B, S, H, Dh), then transpose to (B, H, S, Dh)",
        "в головах куски разных токенов — разбиение только через reshape; сделайте reshape в "
        "(B, S, H, Dh), затем transpose в (B, H, S, Dh)",
    ),
    "merge_without_transpose": (
        "the merged tensor equals the reference after a permutation — a transpose is missing "
        "before the reshape; transpose (B, H, S, Dh) back to (B, S, H, Dh) first",
        "склеенный тензор равен эталону с точностью до перестановки — перед reshape не хватает "
        "transpose; сначала верните (B, H, S, Dh) в (B, S, H, Dh)",
    ),
}


@dataclass(frozen=True, slots=True)
class _Case:
    """What every check looks at: the reference steps, the diverging one, the learner's records."""

    steps: Sequence[Step]
    index: int
    records: Sequence[TraceRecord]
    inputs: Inputs
    heads: int

    @property
    def step(self) -> Step:
        return self.steps[self.index]

    def same_shape(self) -> list[TraceRecord]:
        return [r for r in self.records if r.array.shape == self.step.array.shape]


def _classic_mistake(case: _Case) -> Diagnosis | None:
    """A classic bug, recomputed on the same inputs, reproduces one of the learner's tensors."""
    x, wq, wk, wv, wo = case.inputs
    d_model = x.shape[-1]
    head_dim = d_model // case.heads
    for mistake, (en, ru) in MISTAKE_DIAGNOSES.items():
        wrong = mha_steps(x, wq, wk, wv, wo, case.heads, mistake=mistake)
        # The bug shows at this step or, for a bug whose first step equals another's, right after.
        for index in (case.index, case.index + 1)[: len(case.steps) - case.index]:
            candidate = wrong[index]
            if matches(candidate.array, case.steps[index].array):
                continue
            record = find(case.records, candidate.array)
            if record is not None:
                factor = math.sqrt(head_dim if mistake == "no_scaling" else d_model / head_dim)
                why = MISTAKES[mistake].why
                return {
                    "en": en.format(factor=factor) + ". " + why["en"],
                    "ru": ru.format(factor=factor) + ". " + why["ru"],
                }, record
    return None


def _transposed_weights(case: _Case) -> Diagnosis | None:
    """Q, K or V is ``x @ W.T``: the torch ``nn.Linear`` convention on these weights."""
    x, wq, wk, wv, _ = case.inputs
    weight = {"q": wq, "k": wk, "v": wv}.get(case.step.key)
    if weight is None:
        return None
    transposed = find(case.records, x @ weight.T)
    if transposed is None:
        return None
    letter = case.step.key.upper()
    return {
        "en": f"{letter} equals x @ W.T — the weights here are applied as x @ W "
        "(nn.Linear stores the transpose)",
        "ru": f"{letter} равно x @ W.T — здесь веса применяются как x @ W "
        "(nn.Linear хранит транспонированную матрицу)",
    }, transposed


def _mixed_fused_columns(case: _Case) -> Diagnosis | None:
    """Q, K or V is cut from the wrong columns of the fused ``x @ [W_Q | W_K | W_V]``."""
    x, wq, wk, wv, _ = case.inputs
    if case.step.key not in ("q", "k", "v"):
        return None
    blocks = [x @ wq, x @ wk, x @ wv]
    fused = np.concatenate(blocks, axis=-1)
    for record in case.same_shape():
        if not any(matches(record.array, block) for block in blocks) and columns_from(  # K or V
            record.array, fused
        ):
            letter = case.step.key.upper()
            return {
                "en": f"{letter} mixes columns of Q, K and V — the fused projection "
                "x @ [W_Q | W_K | W_V] is three blocks of d_model columns: Q = qkv[..., :D], "
                "K = qkv[..., D:2D], V = qkv[..., 2D:]",
                "ru": f"{letter} смешивает столбцы Q, K и V — общая проекция "
                "x @ [W_Q | W_K | W_V] — это три блока по d_model столбцов: Q = qkv[..., :D], "
                "K = qkv[..., D:2D], V = qkv[..., 2D:]",
            }, record
    return None


def _missing_output_projection(case: _Case) -> Diagnosis | None:
    """The function returned the merged heads without ``@ W_O``."""
    if case.step.key != "output" or find(case.records, case.steps[case.index - 1].array) is None:
        return None
    return {
        "en": "the result equals the merged heads — the output projection @ W_O is missing",
        "ru": "результат равен склеенным головам — нет выходной проекции @ W_O",
    }, None


def _numbers_misplaced(case: _Case) -> Diagnosis | None:
    """A tensor of the right shape holds the right numbers, permuted."""
    target = np.sort(case.step.array, axis=None)
    for record in case.same_shape():
        if np.allclose(np.sort(record.array, axis=None), target):
            return {
                "en": f"{case.step.title('en')}: your tensor has the right numbers in the wrong "
                "places — check the order of reshape and transpose",
                "ru": f"{case.step.title('ru')}: числа верные, но не на своих местах — проверьте "
                "порядок reshape и transpose",
            }, record
    return None


def _rows_not_normalised(case: _Case) -> Diagnosis | None:
    """Attention weights whose rows do not sum to 1: softmax over the wrong axis."""
    if case.step.key != "weights":
        return None
    for record in case.same_shape():
        if not np.allclose(record.array.sum(axis=-1), 1.0):
            return {
                "en": "rows of the weights do not sum to 1 over keys — apply softmax over the "
                "last axis",
                "ru": "строки весов не суммируются в 1 по ключам — softmax по последней оси",
            }, record
    return None


def _no_such_shape(case: _Case) -> Diagnosis | None:
    """No tensor of the learner's code even has the step's shape."""
    if case.same_shape():
        return None
    step = case.step
    shape, axes = tuple(step.array.shape), ", ".join(step.axes)
    return {
        "en": f"{step.title('en')}: no tensor of your code has the shape {shape} ({axes})",
        "ru": f"{step.title('ru')}: ни один тензор вашего кода не имеет формы {shape} ({axes})",
    }, None


#: The checks, most specific first; the first that recognises the learner's tensor explains it.
CHECKS: tuple[Callable[[_Case], Diagnosis | None], ...] = (
    _classic_mistake,
    _transposed_weights,
    _mixed_fused_columns,
    _missing_output_projection,
    _numbers_misplaced,
    _rows_not_normalised,
    _no_such_shape,
)


def diagnose(
    steps: Sequence[Step],
    index: int,
    records: Sequence[TraceRecord],
    inputs: Inputs,
    heads: int,
) -> Diagnosis:
    """Explain why the learner's code diverges from ``steps[index]`` (EN and RU), and where."""
    case = _Case(steps, index, records, inputs, heads)
    for check in CHECKS:
        found = check(case)
        if found is not None:
            return found
    step = case.step
    return {
        "en": f"{step.title('en')}: no tensor of your code has these values; the closest one is "
        "shown",
        "ru": f"{step.title('ru')}: ни один тензор вашего кода не совпадает; показан ближайший",
    }, None
