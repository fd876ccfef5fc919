"""Hostile card text costs the renderer bounded work: it is shown as plain text, never a hang.

Python-Markdown rescans to the end of the paragraph for every unclosed "[" or "](" and its HTML
parser for every unclosed tag, so 20 KB of "[" took about a minute on the database thread.
These tests assert the outcome (plain text with a reason, formulas left undrawn), not timings.
"""

from __future__ import annotations

import inspect
import re
import sys
from pathlib import Path

import pytest

from studyapp.core.collection import Collection
from studyapp.core.decks.format import load_decks
from studyapp.core.decks.sync import bundled_decks_dir, sync_deck_folders
from studyapp.core.rendering.math_render import MathRenderer
from studyapp.core.rendering.render import (
    DARK,
    LIGHT,
    MAX_FORMULAS,
    PLAIN_TEXT_FROM,
    Renderer,
    plain_text_reason,
)
from studyapp.core.scheduling.review_session import ReviewSession
from tests.conftest import FakeClock

ROOT = Path(__file__).resolve().parents[3]
NOTE = '<p class="render-limit"'

HOSTILE = {
    "brackets": "[" * 8000,
    "links": "[a](" * 2000,
    "autolinks": "<http://" * 1000,
    "images": "![" * 4000,
    "nested": "[[]" * 2700,
    "tags": '<a x=">" ' * 900,
    "cdata": "<![CDATA[ " * 800,
    "brackets-20k": "[" * 20_000,
    "autolinks-20k": "<http://" * 2500,
    "emphasis-12k": "*a " * 2000 + "a* " * 2000,
}


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer(MathRenderer())


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_pathological_markup_is_shown_as_plain_text(renderer: Renderer, text: str) -> None:
    reason = plain_text_reason(text)
    assert reason is not None
    fragment = renderer.markdown_to_html(text, LIGHT)
    assert fragment.startswith(NOTE) and "Shown as plain text" in fragment
    assert "<a " not in fragment and "<img" not in fragment  # Markdown never ran on it
    shown = re.sub(r"<[^>]+>", "", fragment.split("</p>", 1)[1]).strip()
    assert shown.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"') == text.strip()
    assert renderer.limits(text) == (f"shown as plain text: {reason}",)


def test_ordinary_rich_sides_are_still_formatted(renderer: Renderer) -> None:
    links = " ".join(f"[link {i}](https://example.org/{i}) and [x][{i}]" for i in range(40))
    code = "In C++ `vector<int>` and `a<b`; " * 30 + '<img src="pic.png"> <br>'
    text = f"{links}\n\n{code}\n\n" + "- item (with [nested [brackets]])\n" * 50
    assert plain_text_reason(text) is None
    fragment = renderer.markdown_to_html(text, LIGHT)
    assert NOTE not in fragment
    assert fragment.count('<a href="https://example.org/') == 40
    assert renderer.limits(text) == ()


def test_every_bundled_card_and_drill_statement_is_formatted() -> None:
    load = load_decks([bundled_decks_dir()])
    sides = [
        (card.id, side)
        for deck in load.decks
        for card in deck.cards
        for text in card.texts.values()
        for side in (text.front, text.back)
    ]
    sides += [(str(p), p.read_text(encoding="utf-8")) for p in (ROOT / "exercises").rglob("*.md")]
    assert len(sides) > 500
    assert [
        (name, plain_text_reason(side)) for name, side in sides if plain_text_reason(side)
    ] == []


def test_plain_text_is_escaped_and_keeps_its_lines(renderer: Renderer) -> None:
    text = "<script>alert(1)</script> first line\nsecond line\n\nnext paragraph " + "[" * 6000
    fragment = renderer.markdown_to_html(text, DARK)
    assert "<script" not in fragment and "&lt;script&gt;alert(1)&lt;/script&gt;" in fragment
    assert "first line<br>second line</p>" in fragment
    assert "<p>next paragraph [[[" in fragment
    assert 'style="color: #ff7b72"' in fragment  # the dark palette's warning colour


def test_a_side_over_the_length_limit_is_plain_and_a_huge_one_is_cut(
    renderer: Renderer,
) -> None:
    long_side = "**bold** " * (PLAIN_TEXT_FROM // 9 + 1)
    assert f"(formatted up to {PLAIN_TEXT_FROM - 1:,})" in (plain_text_reason(long_side) or "")
    fragment = renderer.markdown_to_html(long_side, LIGHT)
    assert fragment.startswith(NOTE) and "<strong>" not in fragment
    huge = "word " * 200_000  # a megabyte: shown in part, with what was left out
    fragment = renderer.markdown_to_html(huge, LIGHT)
    assert len(fragment) < 150_000
    assert "(900,000 more characters)" in fragment


@pytest.mark.parametrize(
    "text", ["1. " * 3000 + "a", "- " * 4000 + "a", ">" * 9000 + " a", "> - " * 40 + "a"]
)
def test_lines_nesting_thousands_of_lists_or_quotes_are_plain_text(
    renderer: Renderer, text: str
) -> None:
    """Thousands of nested lists exhausted Python-Markdown's recursion; ">>>…" took seconds."""
    assert renderer.limits(text) == (
        "shown as plain text: it nests more than 32 lists or quotes on one line",
    )
    assert plain_text_reason("1. " * 32 + "a") is None  # deep, but not absurd


def test_a_conversion_that_fails_leaves_the_next_card_unharmed() -> None:
    """Python-Markdown keeps an open list in its parser state when it fails; it is rebuilt.

    The failure is provoked for real, by rendering a 40-level list close to the recursion
    limit (what a deeper list would do at the normal limit).
    """
    renderer = Renderer(MathRenderer())
    normal = "- x\n- y\n\n    code\n\n> quoted"
    before = renderer.markdown_to_html(normal, LIGHT)
    deep = "\n".join("    " * level + "- level" for level in range(40))
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(len(inspect.stack()) + 100)
    try:
        limits = renderer.limits(deep)
    finally:
        sys.setrecursionlimit(limit)
    assert limits == ("shown as plain text: it is nested too deeply to format",)
    assert renderer.markdown_to_html(normal + "\n", LIGHT) == before  # no list left open
    assert Renderer(MathRenderer()).limits(deep) == ()  # at the normal limit it formats


def test_formulas_beyond_the_cap_are_shown_as_tex_not_drawn() -> None:
    renderer = Renderer(MathRenderer())
    count = MAX_FORMULAS + 5
    text = " ".join(f"$x_{{{i}}}$" for i in range(count))
    fragment = renderer.markdown_to_html(text, LIGHT)
    assert fragment.count("<img") == MAX_FORMULAS
    assert fragment.count('<span class="math-error"') == 5
    assert "<code" in fragment and f"$x_{{{count - 1}}}$" in fragment
    assert renderer.limits(text) == (
        f"5 formulas not drawn: a card side draws at most {MAX_FORMULAS} formulas and 4,000 "
        "characters of TeX",
    )


def test_a_huge_formula_in_a_card_shows_a_warning_not_a_crash(renderer: Renderer) -> None:
    fragment = renderer.markdown_to_html("Before $a\\hspace{1000000}b$ after.", LIGHT)
    assert "⚠ could not render" in fragment and "too large" in fragment
    assert "<img" not in fragment and "after." in fragment


def test_export_renders_hostile_sides_as_plain_text_too() -> None:
    exporter = Renderer(export=True)
    fragment = exporter.markdown_to_html("[a](" * 3000, LIGHT)
    assert fragment.startswith(NOTE)


def test_review_screen_of_a_hostile_card_is_plain_text(tmp_path: Path) -> None:
    """The path the learner meets: the deck synced, the card rendered for the review page."""
    decks = tmp_path / "decks"
    decks.mkdir()
    (decks / "hostile.md").write_text(
        "---\ntitle: Hostile\n---\n\n## bomb\n\n### Q\n"
        + "<http://" * 2500
        + "\n\n### A\nAn answer with $a\\hspace{1000000}b$.\n",
        encoding="utf-8",
    )
    col = Collection.open(tmp_path / "data", clock=FakeClock())
    try:
        assert sync_deck_folders(col, [decks]).problems == []
        screen = ReviewSession(col, Renderer(MathRenderer())).screen()
    finally:
        col.close()
    assert screen.card is not None
    assert NOTE in screen.question_html and "⚠ could not render" in screen.answer_html
