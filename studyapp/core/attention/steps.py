"""Multi-head attention as an ordered list of named tensors: the visualizer's source of truth.

Why a list of immutable steps rather than a function returning the output: the visualizer, the
mistake mode and the trace of a learner's code all compare *intermediate* tensors. Every step
carries its array, the names of its axes, the numpy and torch line that makes it and a short
explanation, so a view only has to draw what the maths already says.

Weights are ``(d_model, d_model)`` and applied as ``x @ w`` (the interview notes' convention;
``torch.nn.Linear`` stores the transpose). Masks follow torch: ``key_padding_mask`` is True where
a key is padding and must be ignored.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

__all__ = [
    "DEFAULT_TOKENS",
    "MISTAKES",
    "AttentionInputs",
    "Mistake",
    "Step",
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
class Mistake:
    """A classic bug: what it changes and why the result is wrong (English and Russian)."""

    key: str
    title: dict[str, str]
    why: dict[str, str]


MISTAKES: dict[str, Mistake] = {
    m.key: m
    for m in (
        Mistake(
            "no_scaling",
            {"en": "No scaling", "ru": "Без масштабирования"},
            {
                "en": "Scores of size ~√Dh push softmax towards one-hot rows, so gradients vanish.",
                "ru": "Оценки порядка √Dh делают softmax почти one-hot, и градиенты затухают.",
            },
        ),
        Mistake(
            "scale_by_d_model",
            {"en": "Scaling by √d_model", "ru": "Деление на √d_model"},
            {
                "en": "Each head's dot product has Dh terms, so its variance grows like Dh, not "
                "d_model: dividing by √d_model flattens every head's weights.",
                "ru": "Скалярное произведение в голове — сумма Dh слагаемых, его дисперсия растёт "
                "как Dh, а не d_model: деление на √d_model сглаживает веса каждой головы.",
            },
        ),
        Mistake(
            "mask_after_softmax",
            {"en": "Mask after softmax", "ru": "Маска после softmax"},
            {
                "en": "Zeroing weights after softmax leaves rows that no longer sum to 1, and the "
                "future tokens still shaped the normalisation.",
                "ru": "Если обнулять веса после softmax, строки больше не суммируются в 1, а "
                "будущие токены всё равно повлияли на нормировку.",
            },
        ),
        Mistake(
            "softmax_wrong_axis",
            {"en": "Softmax over queries", "ru": "Softmax по запросам"},
            {
                "en": "Softmax must normalise over keys (the last axis): each query distributes "
                "its attention over the keys. Over queries, the rows do not sum to 1.",
                "ru": "Softmax нормирует по ключам (последняя ось): каждый запрос распределяет "
                "внимание по ключам. По запросам — строки не суммируются в 1.",
            },
        ),
        Mistake(
            "split_reshape_only",
            {"en": "Split with reshape only", "ru": "Разбиение только через reshape"},
            {
                "en": "reshape(B, H, S, Dh) reads the (S, D) memory in order, so a 'head' gets "
                "pieces of several tokens: tokens and heads are scrambled.",
                "ru": "reshape(B, H, S, Dh) читает память (S, D) подряд, и «голова» получает "
                "куски разных токенов: токены и головы перемешаны.",
            },
        ),
        Mistake(
            "merge_without_transpose",
            {"en": "Merge without transpose", "ru": "Слияние без transpose"},
            {
                "en": "reshape(B, S, D) straight from (B, H, S, Dh) glues rows of one head "
                "together, so each output row mixes several tokens.",
                "ru": "reshape(B, S, D) прямо из (B, H, S, Dh) склеивает строки одной головы, и "
                "каждая строка выхода смешивает несколько токенов.",
            },
        ),
    )
}


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


#: Russian step names; {L} stands for Q, K or V.
_RU_NAMES = {
    "Input X": "Вход X",
    "{L} = X · W_{L}": "{L} = X · W_{L}",
    "{L}: reshape straight to (B, H, S, Dh)": "{L}: reshape сразу в (B, H, S, Dh)",
    "{L} heads (no transpose)": "Головы {L} (без transpose)",
    "{L} split: reshape to (B, S, H, Dh)": "Разбиение {L}: reshape в (B, S, H, Dh)",
    "{L} heads: transpose to (B, H, S, Dh)": "Головы {L}: transpose в (B, H, S, Dh)",
    "Scores Q · Kᵀ": "Оценки Q · Kᵀ",
    "Scaled by 1/√Dh": "Масштаб 1/√Dh",
    "Mask": "Маска",
    "Softmax over keys": "Softmax по ключам",
    "Weights · V": "Веса · V",
    "Merge: no transpose (bug)": "Слияние: без transpose (ошибка)",
    "Merge: transpose back to (B, S, H, Dh)": "Слияние: transpose обратно в (B, S, H, Dh)",
    "Merge: reshape to (B, S, D)": "Слияние: reshape в (B, S, D)",
    "Output · W_O": "Выход · W_O",
}


def _russian_name(name: str) -> str:
    for letter in "QKV":
        template = name.replace(letter, "{L}") if name[:1] == letter else name
        if template in _RU_NAMES:
            return _RU_NAMES[template].replace("{L}", letter)
    return _RU_NAMES.get(name, name)


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
    view can show what the bug does on the same inputs.
    """
    x = np.asarray(x, dtype=np.float64)
    weights = {
        "wq": np.asarray(wq, dtype=np.float64),
        "wk": np.asarray(wk, dtype=np.float64),
        "wv": np.asarray(wv, dtype=np.float64),
        "wo": np.asarray(wo, dtype=np.float64),
    }
    if key_padding_mask is not None:
        key_padding_mask = np.asarray(key_padding_mask)
    _validate(x, weights, heads, key_padding_mask, causal, mistake)
    batch, seq_len, d_model = x.shape
    head_dim = d_model // heads
    steps: list[Step] = []

    def add(
        key: str,
        name: str,
        array: np.ndarray,
        axes: tuple[str, ...],
        en: str,
        ru: str,
        numpy_code: str,
        torch_code: str,
    ) -> np.ndarray:
        array = np.array(array, dtype=np.float64)  # a copy: views would share the caller's data
        array.setflags(write=False)
        names = {"en": name, "ru": _russian_name(name)}
        steps.append(
            Step(key, name, array, axes, {"en": en, "ru": ru}, numpy_code, torch_code, names)
        )
        return array

    add(
        "x",
        "Input X",
        x,
        X_AXES,
        "Each token is a row of d_model numbers: its embedding (plus position). "
        "All heads start from the same X.",
        "Каждый токен — строка из d_model чисел: его эмбеддинг (с позицией). "
        "Все головы начинают с одного и того же X.",
        "x  # (B, S, D)",
        "x  # (B, S, D)",
    )
    projected = {}
    for letter, role_en, role_ru in (
        ("q", "what this token is looking for", "что ищет этот токен"),
        ("k", "what this token offers to be found by", "по чему этот токен можно найти"),
        ("v", "what this token passes on when attended to", "что токен передаёт при внимании"),
    ):
        upper = letter.upper()
        projected[letter] = add(
            letter,
            f"{upper} = X · W_{upper}",
            x @ weights[f"w{letter}"],
            X_AXES,
            f"{upper} is one matrix product for all heads at once: {role_en}. Head h will use "
            f"only columns h·Dh … (h+1)·Dh − 1.",
            f"{upper} — одно матричное умножение сразу для всех голов: {role_ru}. Голова h "
            f"возьмёт только столбцы h·Dh … (h+1)·Dh − 1.",
            f"{letter} = x @ w_{letter}  # (B, S, D)",
            f"{letter} = x @ w_{letter}  # (B, S, D)",
        )
    split = {}
    for letter in "qkv":
        upper = letter.upper()
        t = projected[letter]
        if mistake == "split_reshape_only":
            wrong = t.reshape(batch, heads, seq_len, head_dim)
            add(
                f"{letter}_split",
                f"{upper}: reshape straight to (B, H, S, Dh)",
                wrong,
                HEAD_AXES,
                "The bug: reshape to (B, H, S, Dh) in one go. Memory is read row by row, so "
                "a 'head' now holds pieces of several tokens.",
                "Ошибка: reshape сразу в (B, H, S, Dh). Память читается построчно, и «голова» "
                "содержит куски нескольких токенов.",
                f"{letter} = {letter}.reshape(B, H, S, Dh)  # bug",
                f"{letter} = {letter}.view(B, H, S, Dh)  # bug",
            )
            split[letter] = add(
                f"{letter}_heads",
                f"{upper} heads (no transpose)",
                wrong,
                HEAD_AXES,
                "Without the transpose the shape is right but the contents are not: tokens and "
                "heads are scrambled.",
                "Без transpose форма верна, а содержимое — нет: токены и головы перемешаны.",
                f"{letter} = {letter}.reshape(B, H, S, Dh)  # bug: no transpose",
                f"{letter} = {letter}.view(B, H, S, Dh)  # bug: no transpose",
            )
            continue
        four = add(
            f"{letter}_split",
            f"{upper} split: reshape to (B, S, H, Dh)",
            t.reshape(batch, seq_len, heads, head_dim),
            SPLIT_AXES,
            "Reshape cuts each token's D columns into H blocks of Dh: token s, column h·Dh + j "
            "becomes [s, h, j]. No number moves in memory.",
            "Reshape режет D столбцов каждого токена на H блоков по Dh: токен s, столбец "
            "h·Dh + j становится [s, h, j]. Ни одно число не перемещается в памяти.",
            f"{letter} = {letter}.reshape(B, S, H, Dh)",
            f"{letter} = {letter}.view(B, S, H, Dh)",
        )
        split[letter] = add(
            f"{letter}_heads",
            f"{upper} heads: transpose to (B, H, S, Dh)",
            four.transpose(0, 2, 1, 3),
            HEAD_AXES,
            "Transpose brings the head axis before the sequence, so each head is an (S, Dh) "
            "matrix and all heads attend in one batched product.",
            "Transpose ставит ось голов перед последовательностью: каждая голова — матрица "
            "(S, Dh), и все головы считаются одним батч-умножением.",
            f"{letter} = {letter}.transpose(0, 2, 1, 3)",
            f"{letter} = {letter}.transpose(1, 2)",
        )
    q, k, v = split["q"], split["k"], split["v"]
    scores = add(
        "scores",
        "Scores Q · Kᵀ",
        q @ k.transpose(0, 1, 3, 2),
        SCORE_AXES,
        "Row i, column j is the dot product of query i with key j in this head. Its variance "
        "grows like Dh, the number of terms.",
        "Строка i, столбец j — скалярное произведение запроса i и ключа j в этой голове. Его "
        "дисперсия растёт как Dh — число слагаемых.",
        "s = q @ k.transpose(0, 1, 3, 2)  # (B, H, S, S)",
        "s = q @ k.transpose(-2, -1)  # (B, H, S, S)",
    )
    if mistake == "no_scaling":
        scaled_array, np_code, torch_code = scores, "s = s  # bug: no scaling", "s = s  # bug"
    elif mistake == "scale_by_d_model":
        scaled_array = scores / math.sqrt(d_model)
        np_code = "s = s / np.sqrt(D)  # bug: d_model, not Dh"
        torch_code = "s = s / math.sqrt(D)  # bug: d_model, not Dh"
    else:
        scaled_array = scores / math.sqrt(head_dim)
        np_code, torch_code = "s = s / np.sqrt(Dh)", "s = s / math.sqrt(Dh)"
    scaled = add(
        "scaled",
        "Scaled by 1/√Dh",
        scaled_array,
        SCORE_AXES,
        f"Dividing by √Dh = {math.sqrt(head_dim):.3g} keeps the scores' standard deviation near 1, "
        "so softmax does not saturate.",
        f"Деление на √Dh = {math.sqrt(head_dim):.3g} держит стандартное отклонение оценок около "
        "1, и softmax не насыщается.",
        np_code,
        torch_code,
    )
    allowed = np.ones((batch, 1, seq_len, seq_len), dtype=bool)
    mask_parts_en, mask_parts_ru = [], []
    if causal:
        allowed &= np.tri(seq_len, dtype=bool)[None, None]
        mask_parts_en.append("a query never sees later keys (causal)")
        mask_parts_ru.append("запрос не видит более поздние ключи (каузальная маска)")
    if key_padding_mask is not None and key_padding_mask.any():
        allowed &= ~key_padding_mask[:, None, None, :]
        mask_parts_en.append("padding keys are hidden")
        mask_parts_ru.append("ключи-паддинги скрыты")
    masked_array = np.where(allowed, scaled, -np.inf)
    if mistake == "mask_after_softmax":
        masked_array = scaled
    if mask_parts_en:
        en = "Hidden scores become −∞ so softmax gives them weight 0: " + "; ".join(mask_parts_en)
        ru = "Скрытые оценки становятся −∞, и softmax даёт им вес 0: " + "; ".join(mask_parts_ru)
    else:
        en, ru = (
            "No mask is on, so every query sees every key.",
            "Маски нет: запрос видит все ключи.",
        )
    if mistake == "mask_after_softmax":
        en = "The bug: nothing is masked before softmax; " + en[0].lower() + en[1:]
        ru = "Ошибка: до softmax ничего не маскируется; " + ru[0].lower() + ru[1:]
    masked = add(
        "masked",
        "Mask",
        masked_array,
        SCORE_AXES,
        en + ".",
        ru + ".",
        "s = s  # bug: mask later"
        if mistake == "mask_after_softmax"
        else "s = np.where(allowed, s, -np.inf)",
        "s = s  # bug: mask later"
        if mistake == "mask_after_softmax"
        else "s = s.masked_fill(~allowed, float('-inf'))",
    )
    if mistake == "softmax_wrong_axis":
        weights_array = _softmax(masked, axis=-2)
        np_code = "w = softmax(s, axis=-2)  # bug: over queries"
        torch_code = "w = torch.softmax(s, dim=-2)  # bug: over queries"
    elif mistake == "mask_after_softmax":
        weights_array = np.where(allowed, _softmax(masked, axis=-1), 0.0)
        np_code = "w = np.where(allowed, softmax(s, axis=-1), 0)  # bug"
        torch_code = "w = torch.softmax(s, dim=-1).masked_fill(~allowed, 0)  # bug"
    else:
        weights_array = _softmax(masked, axis=-1)
        np_code, torch_code = "w = softmax(s, axis=-1)", "w = torch.softmax(s, dim=-1)"
    attn = add(
        "weights",
        "Softmax over keys",
        weights_array,
        SCORE_AXES,
        "Softmax over the last axis (keys) turns each row into weights that are ≥ 0 and sum "
        "to 1: how much query i attends to each key.",
        "Softmax по последней оси (ключам) превращает каждую строку в веса ≥ 0 с суммой 1: "
        "сколько внимания запрос i уделяет каждому ключу.",
        np_code,
        torch_code,
    )
    context = add(
        "context",
        "Weights · V",
        attn @ v,
        HEAD_AXES,
        "Each query's output in a head is the weighted average of the value rows, with the "
        "weights of its row.",
        "Выход запроса в голове — взвешенное среднее строк V с весами из его строки.",
        "o = w @ v  # (B, H, S, Dh)",
        "o = w @ v  # (B, H, S, Dh)",
    )
    if mistake == "merge_without_transpose":
        merged4 = add(
            "merge_transpose",
            "Merge: no transpose (bug)",
            context.reshape(batch, seq_len, heads, head_dim),
            SPLIT_AXES,
            "The bug: the head axis is never moved back, so this 'token' row holds consecutive "
            "rows of one head.",
            "Ошибка: ось голов не возвращена на место, и строка «токена» содержит подряд идущие "
            "строки одной головы.",
            "o = o  # bug: no transpose back",
            "o = o  # bug: no transpose back",
        )
    else:
        merged4 = add(
            "merge_transpose",
            "Merge: transpose back to (B, S, H, Dh)",
            context.transpose(0, 2, 1, 3),
            SPLIT_AXES,
            "Transpose puts the sequence axis first again, so each token has its H head outputs "
            "side by side.",
            "Transpose снова ставит последовательность первой: у каждого токена H выходов голов "
            "стоят рядом.",
            "o = o.transpose(0, 2, 1, 3)",
            "o = o.transpose(1, 2)",
        )
    merged = add(
        "merged",
        "Merge: reshape to (B, S, D)",
        merged4.reshape(batch, seq_len, d_model),
        X_AXES,
        "Reshape concatenates the heads: head h, dim j lands in column h·Dh + j, the inverse of "
        "the split.",
        "Reshape склеивает головы: голова h, измерение j попадает в столбец h·Dh + j — обратное "
        "разбиению.",
        "o = o.reshape(B, S, D)",
        "o = o.reshape(B, S, D)  # .contiguous() needed before .view",
    )
    add(
        "output",
        "Output · W_O",
        merged @ weights["wo"],
        X_AXES,
        "The output projection mixes the heads' results into each of the D output columns. "
        "This is the layer's output.",
        "Выходная проекция смешивает результаты голов в каждом из D столбцов. Это выход слоя.",
        "y = o @ w_o  # (B, S, D)",
        "y = o @ w_o  # (B, S, D)",
    )
    return tuple(steps)
