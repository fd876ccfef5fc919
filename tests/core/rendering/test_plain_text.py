"""A card's Markdown and TeX as one plain line, as the browser's Question column shows it."""

from __future__ import annotations

from studyapp.core.rendering.plain_text import plain_text


def test_tex_becomes_readable_symbols() -> None:
    assert plain_text(r"Given $n \leq 10^5$, is $O(n \log n)$ ok?") == (
        "Given n ≤ 10^5, is O(n log n) ok?"
    )
    assert plain_text(r"Why $\frac{QK^\top}{\sqrt{d_k}}$?") == "Why (QKᵀ)/(√(d_k))?"
    assert plain_text(r"$\frac{a}{b}$, $\sqrt{2}$, $\alpha \ne \beta$") == "a/b, √2, α ≠ β"
    assert plain_text(r"$$\mathbb{E}[X] = \sum_i p_i x_i$$") == "E[X] = Σ_i p_i x_i"


def test_markdown_marks_are_dropped_and_code_keeps_its_text() -> None:
    text = (
        "## Softmax\n\n**Why** subtract `max`? See [the notes](http://x).\n\n"
        "```python\nz = z - 1\n```"
    )
    assert plain_text(text) == "Softmax Why subtract max? See the notes. z = z - 1"
    assert plain_text("- one\n- *two*\n1. three") == "one two three"


def test_identifiers_and_arithmetic_are_not_taken_for_emphasis() -> None:
    assert plain_text("use snake_case_name with 2*3*4") == "use snake_case_name with 2*3*4"


def test_long_text_is_cut_with_an_ellipsis() -> None:
    text = plain_text("word " * 100, limit=20)
    assert len(text) <= 20 and text.endswith("…")
