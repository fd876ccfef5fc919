"""The English and Russian words of the attention page: step names, explanations, code, mistakes.

Why a table apart from the maths: :mod:`studyapp.core.attention.steps` then reads as the
computation only, and a translator (or a reviewer of the wording) finds every sentence here,
next to its other language. Texts are ``str.format`` templates; the fields they may use are
``letter``/``upper`` (q, k, v and Q, K, V for the per-projection steps), ``role`` (what that
projection is for, in the text's language), ``sqrt_dh`` (√Dh as a float) and ``mask`` (the mask
step's sentence, built by :func:`mask_sentence`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

__all__ = [
    "BUG_CODE",
    "LANGUAGES",
    "MISTAKES",
    "ROLES",
    "STEP_TEXTS",
    "Mistake",
    "StepText",
    "mask_sentence",
    "step_text",
]

LANGUAGES = ("en", "ru")


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
class StepText:
    """How one step is named, explained and written in numpy and torch (templates)."""

    name: dict[str, str]
    explanation: dict[str, str]
    numpy_code: str
    torch_code: str


def _text(
    name_en: str, name_ru: str, en: str, ru: str, numpy_code: str, torch_code: str = ""
) -> StepText:
    """A step's texts; ``torch_code`` defaults to the numpy line when both are the same."""
    return StepText(
        {"en": name_en, "ru": name_ru}, {"en": en, "ru": ru}, numpy_code, torch_code or numpy_code
    )


#: What each projection is for, by letter and language (the ``role`` field).
ROLES: dict[str, dict[str, str]] = {
    "q": {"en": "what this token is looking for", "ru": "что ищет этот токен"},
    "k": {"en": "what this token offers to be found by", "ru": "по чему этот токен можно найти"},
    "v": {
        "en": "what this token passes on when attended to",
        "ru": "что токен передаёт при внимании",
    },
}

_NO_TRANSPOSE_CODE = "{letter} = {letter}.reshape(B, H, S, Dh)  # bug"

#: Every step's texts, by text key (a step's key, or ``<key>:<mistake>`` for a bug's variant).
STEP_TEXTS: dict[str, StepText] = {
    "x": _text(
        "Input X",
        "Вход X",
        "Each token is a row of d_model numbers: its embedding (plus position). "
        "All heads start from the same X.",
        "Каждый токен — строка из d_model чисел: его эмбеддинг (с позицией). "
        "Все головы начинают с одного и того же X.",
        "x  # (B, S, D)",
    ),
    "project": _text(
        "{upper} = X · W_{upper}",
        "{upper} = X · W_{upper}",
        "{upper} is one matrix product for all heads at once: {role}. Head h will use "
        "only columns h·Dh … (h+1)·Dh − 1.",
        "{upper} — одно матричное умножение сразу для всех голов: {role}. Голова h "
        "возьмёт только столбцы h·Dh … (h+1)·Dh − 1.",
        "{letter} = x @ w_{letter}  # (B, S, D)",
    ),
    "split": _text(
        "{upper} split: reshape to (B, S, H, Dh)",
        "Разбиение {upper}: reshape в (B, S, H, Dh)",
        "Reshape cuts each token's D columns into H blocks of Dh: token s, column h·Dh + j "
        "becomes [s, h, j]. No number moves in memory.",
        "Reshape режет D столбцов каждого токена на H блоков по Dh: токен s, столбец "
        "h·Dh + j становится [s, h, j]. Ни одно число не перемещается в памяти.",
        "{letter} = {letter}.reshape(B, S, H, Dh)",
        "{letter} = {letter}.view(B, S, H, Dh)",
    ),
    "split:split_reshape_only": _text(
        "{upper}: reshape straight to (B, H, S, Dh)",
        "{upper}: reshape сразу в (B, H, S, Dh)",
        "The bug: reshape to (B, H, S, Dh) in one go. Memory is read row by row, so "
        "a 'head' now holds pieces of several tokens.",
        "Ошибка: reshape сразу в (B, H, S, Dh). Память читается построчно, и «голова» "
        "содержит куски нескольких токенов.",
        "{letter} = {letter}.reshape(B, H, S, Dh)  # bug",
        "{letter} = {letter}.view(B, H, S, Dh)  # bug",
    ),
    "heads": _text(
        "{upper} heads: transpose to (B, H, S, Dh)",
        "Головы {upper}: transpose в (B, H, S, Dh)",
        "Transpose brings the head axis before the sequence, so each head is an (S, Dh) "
        "matrix and all heads attend in one batched product.",
        "Transpose ставит ось голов перед последовательностью: каждая голова — матрица "
        "(S, Dh), и все головы считаются одним батч-умножением.",
        "{letter} = {letter}.transpose(0, 2, 1, 3)",
        "{letter} = {letter}.transpose(1, 2)",
    ),
    "heads:split_reshape_only": _text(
        "{upper} heads (no transpose)",
        "Головы {upper} (без transpose)",
        "Without the transpose the shape is right but the contents are not: tokens and "
        "heads are scrambled.",
        "Без transpose форма верна, а содержимое — нет: токены и головы перемешаны.",
        "{letter} = {letter}.reshape(B, H, S, Dh)  # bug: no transpose",
        "{letter} = {letter}.view(B, H, S, Dh)  # bug: no transpose",
    ),
    "scores": _text(
        "Scores Q · Kᵀ",
        "Оценки Q · Kᵀ",
        "Row i, column j is the dot product of query i with key j in this head. Its variance "
        "grows like Dh, the number of terms.",
        "Строка i, столбец j — скалярное произведение запроса i и ключа j в этой голове. Его "
        "дисперсия растёт как Dh — число слагаемых.",
        "s = q @ k.transpose(0, 1, 3, 2)  # (B, H, S, S)",
        "s = q @ k.transpose(-2, -1)  # (B, H, S, S)",
    ),
    "scaled": _text(
        "Scaled by 1/√Dh",
        "Масштаб 1/√Dh",
        "Dividing by √Dh = {sqrt_dh:.3g} keeps the scores' standard deviation near 1, "
        "so softmax does not saturate.",
        "Деление на √Dh = {sqrt_dh:.3g} держит стандартное отклонение оценок около "
        "1, и softmax не насыщается.",
        "s = s / np.sqrt(Dh)",
        "s = s / math.sqrt(Dh)",
    ),
    "masked": _text(
        "Mask",
        "Маска",
        "{mask}.",
        "{mask}.",
        "s = np.where(allowed, s, -np.inf)",
        "s = s.masked_fill(~allowed, float('-inf'))",
    ),
    "masked:mask_after_softmax": _text(
        "Mask", "Маска", "{mask}.", "{mask}.", "s = s  # bug: mask later"
    ),
    "weights": _text(
        "Softmax over keys",
        "Softmax по ключам",
        "Softmax over the last axis (keys) turns each row into weights that are ≥ 0 and sum "
        "to 1: how much query i attends to each key.",
        "Softmax по последней оси (ключам) превращает каждую строку в веса ≥ 0 с суммой 1: "
        "сколько внимания запрос i уделяет каждому ключу.",
        "w = softmax(s, axis=-1)",
        "w = torch.softmax(s, dim=-1)",
    ),
    "context": _text(
        "Weights · V",
        "Веса · V",
        "Each query's output in a head is the weighted average of the value rows, with the "
        "weights of its row.",
        "Выход запроса в голове — взвешенное среднее строк V с весами из его строки.",
        "o = w @ v  # (B, H, S, Dh)",
    ),
    "merge_transpose": _text(
        "Merge: transpose back to (B, S, H, Dh)",
        "Слияние: transpose обратно в (B, S, H, Dh)",
        "Transpose puts the sequence axis first again, so each token has its H head outputs "
        "side by side.",
        "Transpose снова ставит последовательность первой: у каждого токена H выходов голов "
        "стоят рядом.",
        "o = o.transpose(0, 2, 1, 3)",
        "o = o.transpose(1, 2)",
    ),
    "merge_transpose:merge_without_transpose": _text(
        "Merge: no transpose (bug)",
        "Слияние: без transpose (ошибка)",
        "The bug: the head axis is never moved back, so this 'token' row holds consecutive "
        "rows of one head.",
        "Ошибка: ось голов не возвращена на место, и строка «токена» содержит подряд идущие "
        "строки одной головы.",
        "o = o  # bug: no transpose back",
    ),
    "merged": _text(
        "Merge: reshape to (B, S, D)",
        "Слияние: reshape в (B, S, D)",
        "Reshape concatenates the heads: head h, dim j lands in column h·Dh + j, the inverse of "
        "the split.",
        "Reshape склеивает головы: голова h, измерение j попадает в столбец h·Dh + j — обратное "
        "разбиению.",
        "o = o.reshape(B, S, D)",
        "o = o.reshape(B, S, D)  # .contiguous() needed before .view",
    ),
    "output": _text(
        "Output · W_O",
        "Выход · W_O",
        "The output projection mixes the heads' results into each of the D output columns. "
        "This is the layer's output.",
        "Выходная проекция смешивает результаты голов в каждом из D столбцов. Это выход слоя.",
        "y = o @ w_o  # (B, S, D)",
    ),
}

#: Code lines that differ for a bug whose name and explanation are the correct step's.
BUG_CODE: dict[str, tuple[str, str]] = {
    "scaled:no_scaling": ("s = s  # bug: no scaling", "s = s  # bug"),
    "scaled:scale_by_d_model": (
        "s = s / np.sqrt(D)  # bug: d_model, not Dh",
        "s = s / math.sqrt(D)  # bug: d_model, not Dh",
    ),
    "weights:softmax_wrong_axis": (
        "w = softmax(s, axis=-2)  # bug: over queries",
        "w = torch.softmax(s, dim=-2)  # bug: over queries",
    ),
    "weights:mask_after_softmax": (
        "w = np.where(allowed, softmax(s, axis=-1), 0)  # bug",
        "w = torch.softmax(s, dim=-1).masked_fill(~allowed, 0)  # bug",
    ),
}


def step_text(text: str, mistake: str | None) -> StepText:
    """The texts of step ``text`` as ``mistake`` computes it (the correct step's when unchanged)."""
    variant = f"{text}:{mistake}"
    if variant in STEP_TEXTS:
        return STEP_TEXTS[variant]
    if variant in BUG_CODE:
        numpy_code, torch_code = BUG_CODE[variant]
        return replace(STEP_TEXTS[text], numpy_code=numpy_code, torch_code=torch_code)
    return STEP_TEXTS[text]


_MASK_WORDS = {
    "causal": {
        "en": "a query never sees later keys (causal)",
        "ru": "запрос не видит более поздние ключи (каузальная маска)",
    },
    "padding": {"en": "padding keys are hidden", "ru": "ключи-паддинги скрыты"},
    "lead": {
        "en": "Hidden scores become −∞ so softmax gives them weight 0: ",
        "ru": "Скрытые оценки становятся −∞, и softmax даёт им вес 0: ",
    },
    "none": {
        # The full stop here and the step's own one make "..": kept as the page has always shown.
        "en": "No mask is on, so every query sees every key.",
        "ru": "Маски нет: запрос видит все ключи.",
    },
    "bug": {
        "en": "The bug: nothing is masked before softmax; ",
        "ru": "Ошибка: до softmax ничего не маскируется; ",
    },
}


def mask_sentence(language: str, *, causal: bool, padded: bool, bug: bool) -> str:
    """What the mask step hides, in ``language`` (without the final full stop).

    ``bug`` prefixes the mask-after-softmax mistake's admission that nothing is masked yet.
    """
    wanted = (("causal", causal), ("padding", padded))
    parts = [_MASK_WORDS[kind][language] for kind, on in wanted if on]
    if parts:
        sentence = _MASK_WORDS["lead"][language] + "; ".join(parts)
    else:
        sentence = _MASK_WORDS["none"][language]
    if bug:
        sentence = _MASK_WORDS["bug"][language] + sentence[0].lower() + sentence[1:]
    return sentence
