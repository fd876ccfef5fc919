"""Multi-head attention as an ordered list of named tensors: the visualizer's source of truth.

Why a list of immutable steps rather than a function returning the output: the visualizer, the
mistake mode and the trace of a learner's code all compare *intermediate* tensors. Every step
carries its array, the names of its axes, the numpy and torch line that makes it and a short
explanation, so a view only has to draw what the maths already says. The computation is a table
(:data:`STEP_TABLE`, one :class:`StepSpec` per tensor, and :data:`MISTAKE_COMPUTE` for the classic
bugs) walked by :func:`mha_steps`; the words are in :mod:`studyapp.core.attention.texts`.

Weights are ``(d_model, d_model)`` and applied as ``x @ w`` (the interview notes' convention;
``torch.nn.Linear`` stores the transpose). Masks follow torch: ``key_padding_mask`` is True where
a key is padding and must be ignored.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from studyapp.core.attention.texts import (
    LANGUAGES,
    MISTAKES,
    ROLES,
    Mistake,
    mask_sentence,
    step_text,
)

__all__ = [
    "DEFAULT_TOKENS",
    "MISTAKES",
    "MISTAKE_COMPUTE",
    "STEP_TABLE",
    "AttentionInputs",
    "Mistake",
    "Step",
    "StepSpec",
    "head_block",
    "make_inputs",
    "merged_column",
    "mha_steps",
    "split_position",
]

#: The interview notes' example sentence ("I want pizza").
DEFAULT_TOKENS: tuple[str, ...] = ("Я", "Хочу", "Пиццу", "<eos>")

X_AXES = ("batch", "seq", "d_model")
SPLIT_AXES = ("batch", "seq", "head", "head_dim")
HEAD_AXES = ("batch", "head", "seq", "head_dim")
SCORE_AXES = ("batch", "head", "query", "key")


@dataclass(frozen=True, slots=True)
class Step:
    """One tensor of the computation, with what is needed to show and explain it."""

    key: str
    name: str
    array: np.ndarray
    axes: tuple[str, ...]
    explanation: dict[str, str]
    numpy_code: str
    torch_code: str
    #: The step's name in each language (``name`` is the English one).
    names: dict[str, str] = field(default_factory=dict)

    def title(self, language: str) -> str:
        """The step's name in ``language``, English when there is none."""
        return self.names.get(language, self.name)

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(self.array.shape)

    def badge(self) -> str:
        """``batch 1 × head 3 × seq 4 × head_dim 2``: the shape with its axis names."""
        return " × ".join(f"{a} {n}" for a, n in zip(self.axes, self.array.shape, strict=True))


@dataclass(frozen=True, slots=True)
class AttentionInputs:
    """The tokens, the input tensor and the four weight matrices the page works on."""

    tokens: tuple[str, ...]
    x: np.ndarray
    wq: np.ndarray
    wk: np.ndarray
    wv: np.ndarray
    wo: np.ndarray
    key_padding_mask: np.ndarray | None = field(default=None)


def make_inputs(
    tokens: Sequence[str],
    *,
    batch: int,
    d_model: int,
    seed: int,
    padding: int = 0,
) -> AttentionInputs:
    """Deterministic inputs: each token's embedding depends only on its text and the seed.

    Why per-token embeddings: the same word at two positions then has the same row of X, which
    makes the attention table readable. Later batch items reverse the tokens, so they differ.
    ``padding`` marks the last ``padding`` positions of the last sequence as padding keys.
    """
    tokens = tuple(tokens)
    if batch < 1 or d_model < 1 or not tokens:
        raise ValueError("batch, d_model and the number of tokens must be at least 1")
    if not 0 <= padding < len(tokens):
        raise ValueError(
            f"padding must be between 0 and seq_len - 1 = {len(tokens) - 1} (every query needs "
            "a key to attend to)"
        )

    def embedding(token: str) -> np.ndarray:
        rng = np.random.default_rng([seed, zlib.crc32(token.encode())])
        return rng.normal(size=d_model)

    rows = np.stack([embedding(t) for t in tokens])
    x = np.stack([rows if b % 2 == 0 else rows[::-1] for b in range(batch)])
    rng = np.random.default_rng(seed)
    scale = 1.0 / math.sqrt(d_model)
    wq, wk, wv, wo = (rng.normal(scale=scale, size=(d_model, d_model)) for _ in range(4))
    mask = None
    if padding:
        mask = np.zeros((batch, len(tokens)), dtype=bool)
        mask[-1, len(tokens) - padding :] = True
    return AttentionInputs(tokens, x, wq, wk, wv, wo, mask)


def split_position(column: int, head_dim: int) -> tuple[int, int]:
    """Column ``d`` of (B, S, D) is (head, dim) = divmod(d, Dh) of (B, H, S, Dh)."""
    return divmod(column, head_dim)


def merged_column(head: int, dim: int, head_dim: int) -> int:
    """The inverse of :func:`split_position`: (head h, dim j) is column h·Dh + j."""
    return head * head_dim + dim


def head_block(head: int, head_dim: int) -> slice:
    """Head ``h`` projects with the column block W[:, h·Dh:(h+1)·Dh] of the fused matrix."""
    return slice(head * head_dim, (head + 1) * head_dim)


def _softmax(s: np.ndarray, axis: int) -> np.ndarray:
    top = np.max(s, axis=axis, keepdims=True)
    top = np.where(np.isfinite(top), top, 0.0)
    e = np.exp(s - top)
    with np.errstate(invalid="ignore", divide="ignore"):
        return e / np.sum(e, axis=axis, keepdims=True)


def _validate(
    x: np.ndarray,
    weights: dict[str, np.ndarray],
    heads: int,
    key_padding_mask: np.ndarray | None,
    causal: bool,
    mistake: str | None,
) -> None:
    if x.ndim != 3:
        raise ValueError(f"x must have shape (batch, seq_len, d_model); got {x.shape}")
    batch, seq_len, d_model = x.shape
    if min(x.shape) < 1:
        raise ValueError(f"every size must be at least 1; got x of shape {x.shape}")
    if heads < 1:
        raise ValueError(f"heads must be at least 1; got {heads}")
    if d_model % heads:
        raise ValueError(
            f"d_model = {d_model} is not divisible by heads = {heads}: each head gets "
            f"d_model / heads columns"
        )
    for name, w in weights.items():
        if w.shape != (d_model, d_model):
            raise ValueError(f"{name} must have shape ({d_model}, {d_model}); got {w.shape}")
    for name, a in {"x": x, **weights}.items():
        if not np.all(np.isfinite(a)):
            raise ValueError(f"{name} contains NaN or infinite values")
    if key_padding_mask is not None:
        if key_padding_mask.shape != (batch, seq_len) or key_padding_mask.dtype != np.bool_:
            raise ValueError(
                f"key_padding_mask must be a boolean array of shape ({batch}, {seq_len}); got "
                f"{key_padding_mask.dtype} {key_padding_mask.shape}"
            )
        visible = ~key_padding_mask[:, None, :]
        if causal:
            visible = visible & np.tri(seq_len, dtype=bool)[None]
        if not visible.any(axis=-1).all():
            raise ValueError("the masks leave a query with no key to attend to")
    if mistake is not None and mistake not in MISTAKES:
        raise ValueError(f"unknown mistake {mistake!r}; known: {', '.join(MISTAKES)}")


@dataclass(frozen=True, slots=True)
class _Sizes:
    """What a step's computation needs besides earlier tensors: the sizes and the mask."""

    batch: int
    seq_len: int
    d_model: int
    heads: int
    head_dim: int
    #: (B, 1, S, S): True where a query may see a key (causal and padding masks together).
    allowed: np.ndarray


#: How a step's tensor is made from the sizes and the tensors named by the spec's ``inputs``.
Compute = Callable[..., np.ndarray]


@dataclass(frozen=True, slots=True)
class StepSpec:
    """One row of the computation: the tensor ``key``, made by ``compute`` from ``inputs``.

    ``text`` names its words in :data:`studyapp.core.attention.texts.STEP_TEXTS`; ``letter`` is
    q, k or v for the steps done once per projection (``{letter}`` in key and inputs).
    """

    key: str
    text: str
    axes: tuple[str, ...]
    inputs: tuple[str, ...]
    compute: Compute
    letter: str = ""


def _split(n: _Sizes, t: np.ndarray) -> np.ndarray:
    return t.reshape(n.batch, n.seq_len, n.heads, n.head_dim)


def _split_to_heads(n: _Sizes, t: np.ndarray) -> np.ndarray:
    return t.reshape(n.batch, n.heads, n.seq_len, n.head_dim)


def _heads_first(n: _Sizes, t: np.ndarray) -> np.ndarray:
    return t.transpose(0, 2, 1, 3)


def _per_letter(*specs: StepSpec) -> tuple[StepSpec, ...]:
    """The specs for Q, then K, then V (all of Q's steps before K's, as the code runs)."""
    return tuple(
        StepSpec(
            spec.key.format(letter=letter),
            spec.text,
            spec.axes,
            tuple(name.format(letter=letter) for name in spec.inputs),
            spec.compute,
            letter,
        )
        for letter in "qkv"
        for spec in specs
    )


#: Multi-head self-attention, one row per tensor, in the order the code computes them.
STEP_TABLE: tuple[StepSpec, ...] = (
    StepSpec("x", "x", X_AXES, ("x",), lambda n, x: x),
    *_per_letter(
        StepSpec("{letter}", "project", X_AXES, ("x", "w{letter}"), lambda n, x, w: x @ w)
    ),
    *_per_letter(
        StepSpec("{letter}_split", "split", SPLIT_AXES, ("{letter}",), _split),
        StepSpec("{letter}_heads", "heads", HEAD_AXES, ("{letter}_split",), _heads_first),
    ),
    StepSpec(
        "scores",
        "scores",
        SCORE_AXES,
        ("q_heads", "k_heads"),
        lambda n, q, k: q @ k.transpose(0, 1, 3, 2),
    ),
    StepSpec("scaled", "scaled", SCORE_AXES, ("scores",), lambda n, s: s / math.sqrt(n.head_dim)),
    StepSpec(
        "masked", "masked", SCORE_AXES, ("scaled",), lambda n, s: np.where(n.allowed, s, -np.inf)
    ),
    StepSpec("weights", "weights", SCORE_AXES, ("masked",), lambda n, s: _softmax(s, axis=-1)),
    StepSpec("context", "context", HEAD_AXES, ("weights", "v_heads"), lambda n, w, v: w @ v),
    StepSpec("merge_transpose", "merge_transpose", SPLIT_AXES, ("context",), _heads_first),
    StepSpec(
        "merged",
        "merged",
        X_AXES,
        ("merge_transpose",),
        lambda n, o: o.reshape(n.batch, n.seq_len, n.d_model),
    ),
    StepSpec("output", "output", X_AXES, ("merged", "wo"), lambda n, o, w: o @ w),
)

#: What each classic mistake computes instead, by ``<text>:<mistake>``: (axes, inputs, compute).
#: A step a mistake does not list is computed as in :data:`STEP_TABLE`.
MISTAKE_COMPUTE: dict[str, tuple[tuple[str, ...], tuple[str, ...], Compute]] = {
    "split:split_reshape_only": (HEAD_AXES, ("{letter}",), _split_to_heads),
    "heads:split_reshape_only": (HEAD_AXES, ("{letter}",), _split_to_heads),
    "scaled:no_scaling": (SCORE_AXES, ("scores",), lambda n, s: s),
    "scaled:scale_by_d_model": (SCORE_AXES, ("scores",), lambda n, s: s / math.sqrt(n.d_model)),
    "masked:mask_after_softmax": (SCORE_AXES, ("scaled",), lambda n, s: s),
    "weights:softmax_wrong_axis": (SCORE_AXES, ("masked",), lambda n, s: _softmax(s, axis=-2)),
    "weights:mask_after_softmax": (
        SCORE_AXES,
        ("masked",),
        lambda n, s: np.where(n.allowed, _softmax(s, axis=-1), 0.0),
    ),
    "merge_transpose:merge_without_transpose": (SPLIT_AXES, ("context",), _split),
}


def _as_mistake(spec: StepSpec, mistake: str | None) -> StepSpec:
    """``spec`` as ``mistake`` computes it (``spec`` itself when the mistake leaves it alone)."""
    changed = MISTAKE_COMPUTE.get(f"{spec.text}:{mistake}")
    if changed is None:
        return spec
    axes, inputs, compute = changed
    inputs = tuple(name.format(letter=spec.letter) for name in inputs)
    return StepSpec(spec.key, spec.text, axes, inputs, compute, spec.letter)


def _allowed(
    batch: int, seq_len: int, causal: bool, key_padding_mask: np.ndarray | None
) -> np.ndarray:
    allowed = np.ones((batch, 1, seq_len, seq_len), dtype=bool)
    if causal:
        allowed &= np.tri(seq_len, dtype=bool)[None, None]
    if key_padding_mask is not None and key_padding_mask.any():
        allowed &= ~key_padding_mask[:, None, None, :]
    return allowed


@lru_cache(maxsize=1024)
def _words(
    spec: StepSpec, mistake: str | None, sqrt_dh: float, masks: tuple[str, ...]
) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...], str, str]:
    """The step's (language, name) and (language, explanation) pairs and its two code lines.

    Cached: the page rebuilds every step on each control change, and the words only depend on
    the step, the mistake, √Dh and the mask sentence (``masks``, one per language).
    """
    text = step_text(spec.text, mistake)
    letter = {"letter": spec.letter, "upper": spec.letter.upper()}
    names, explanation = [], []
    for language, mask in zip(LANGUAGES, masks, strict=True):
        values: dict[str, object] = {"sqrt_dh": sqrt_dh, "mask": mask, **letter}
        if spec.letter:
            values["role"] = ROLES[spec.letter][language]
        names.append((language, text.name[language].format(**values)))
        explanation.append((language, text.explanation[language].format(**values)))
    code = text.numpy_code.format(**letter), text.torch_code.format(**letter)
    return tuple(names), tuple(explanation), *code


def mha_steps(
    x: np.ndarray,
    wq: np.ndarray,
    wk: np.ndarray,
    wv: np.ndarray,
    wo: np.ndarray,
    heads: int,
    causal: bool = False,
    key_padding_mask: np.ndarray | None = None,
    *,
    mistake: str | None = None,
) -> tuple[Step, ...]:
    """Every tensor of multi-head self-attention, in order; the last one is the layer's output.

    ``mistake`` (a key of :data:`MISTAKES`) computes the same steps with that classic bug, so a
    view can show what the bug does on the same inputs. The steps are :data:`STEP_TABLE`'s rows,
    with :data:`MISTAKE_COMPUTE`'s replacements for the mistake.
    """
    x = np.asarray(x, dtype=np.float64)
    weights = {
        name: np.asarray(w, dtype=np.float64)
        for name, w in zip(("wq", "wk", "wv", "wo"), (wq, wk, wv, wo), strict=True)
    }
    if key_padding_mask is not None:
        key_padding_mask = np.asarray(key_padding_mask)
    _validate(x, weights, heads, key_padding_mask, causal, mistake)
    batch, seq_len, d_model = x.shape
    sizes = _Sizes(
        batch,
        seq_len,
        d_model,
        heads,
        d_model // heads,
        _allowed(batch, seq_len, causal, key_padding_mask),
    )
    padded = key_padding_mask is not None and bool(key_padding_mask.any())
    bug = mistake == "mask_after_softmax"
    masks = tuple(
        mask_sentence(language, causal=causal, padded=padded, bug=bug) for language in LANGUAGES
    )
    sqrt_dh = math.sqrt(sizes.head_dim)
    tensors: dict[str, np.ndarray] = {"x": x, **weights}
    steps: list[Step] = []
    for row in STEP_TABLE:
        spec = _as_mistake(row, mistake)
        array = np.array(
            spec.compute(sizes, *(tensors[name] for name in spec.inputs)), dtype=np.float64
        )  # a copy: views would share data
        array.setflags(write=False)
        tensors[spec.key] = array
        names, explanation, numpy_code, torch_code = _words(spec, mistake, sqrt_dh, masks)
        steps.append(
            Step(
                spec.key,
                dict(names)["en"],
                array,
                spec.axes,
                dict(explanation),
                numpy_code,
                torch_code,
                dict(names),
            )
        )
    return tuple(steps)
