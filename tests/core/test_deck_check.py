"""The deck checker catches each kind of broken card, reported as file:line with a reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from studyapp.core.deck_check import check_paths
from studyapp.core.deck_sync import bundled_decks_dir

HEADER = "---\ntitle: T\ntranslations: ru\n---\n\n"


def card(card_id: str, q: str = "Q?", a: str = "A.", extra: str = "", ru: bool = True) -> str:
    text = f"## {card_id}\nsource: a book\n{extra}\n### Q\n{q}\n\n### A\n{a}\n"
    if ru:
        text += f"\n### Q ru\n{q}\n\n### A ru\n{a}\n"
    return text + "\n"


def check_one(tmp_path: Path, body: str, **kwargs: int) -> list[str]:
    path = tmp_path / "deck.md"
    path.write_text(HEADER + body, encoding="utf-8")
    return [str(p) for p in check_paths([path], **kwargs).problems]


def test_a_good_deck_passes(tmp_path: Path) -> None:
    body = card("good", q="What is $\\sqrt{d_k}$?", a="```python\nx = 1\n```")
    assert check_one(tmp_path, body) == []


@pytest.mark.parametrize(
    ("body", "line", "reason"),
    [
        (card("no-answer") + "## broken\n### Q\nq\n", 21, "has no '### A'"),
        (card("x") + card("x"), 21, "duplicate card id 'x'"),
        (card("mono", ru=False), 6, "has no translation into ru"),
        (card("empty", a=""), 12, "'### A' is empty"),
        (card("formula", a="It is $\\frac{1}{$ here."), 6, "does not render"),
        (card("fence", a="```python\nx = 1\n", ru=False), 13, "code fence is never closed"),
        (card("long", q="Why " * 80 + "?"), 6, "more than 300"),
        (card("nosrc").replace("source: a book\n", ""), 6, "factual but has no 'source:'"),
    ],
    ids=["parse", "duplicate", "translation", "empty", "formula", "fence", "long", "source"],
)
def test_each_defect_is_reported(tmp_path: Path, body: str, line: int, reason: str) -> None:
    problems = check_one(tmp_path, body)
    assert any(p.startswith(f"{tmp_path / 'deck.md'}:{line}:") and reason in p for p in problems), (
        problems
    )


def test_non_factual_card_needs_no_source_and_limit_is_settable(tmp_path: Path) -> None:
    body = card("opinion", q="Which is nicer?", extra="factual: no").replace("source: a book\n", "")
    assert check_one(tmp_path, body) == []
    assert any("more than 10" in p for p in check_one(tmp_path, body, max_question=10))


def test_duplicates_across_files_name_both_places(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(HEADER + card("same"), encoding="utf-8")
    (tmp_path / "b.md").write_text(HEADER + card("same"), encoding="utf-8")
    (problem,) = check_paths([tmp_path / "a.md", tmp_path / "b.md"]).problems
    assert problem.path == tmp_path / "b.md" and f"{tmp_path / 'a.md'}:6" in problem.message


def test_bundled_decks_pass_the_checker() -> None:
    report = check_paths([bundled_decks_dir()])
    assert [str(p) for p in report.problems] == []
    assert report.decks == 9 and report.cards >= 300
