"""The deck checker catches each kind of broken card, reported as file:line with a reason."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from studyapp.core.decks.check import check_paths
from studyapp.core.decks.sync import bundled_decks_dir

ROOT = Path(__file__).resolve().parents[3]
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


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        ("word " * 1100, "(en): the answer has 5,499 characters, more than 5,000; split the card"),
        ("[" * 4000, "answer: shown as plain text: it has too many unclosed or nested '['"),
        ("<http://" * 500, "answer: shown as plain text: it has too many unclosed or nested"),
        ("- " * 2400 + "a", "answer: shown as plain text: it nests more than 32 lists"),
        ("$a\\hspace{1000000}b$", "formula $a\\hspace{1000000}b$ does not render: too large"),
        (" ".join(f"$x_{{{i}}}$" for i in range(52)), "answer: 2 formulas not drawn"),
    ],
    ids=["long", "brackets", "autolinks", "nesting", "huge-formula", "many-formulas"],
)
def test_what_the_app_would_not_show_as_written_is_a_problem(
    tmp_path: Path, answer: str, reason: str
) -> None:
    problems = check_one(tmp_path, card("hostile", a=answer, ru=False) + card("fine"))
    prefix = f"{tmp_path / 'deck.md'}:6: card 'hostile'"
    assert any(p.startswith(prefix) and reason in p for p in problems), problems
    assert not any("'fine'" in p for p in problems)


def write_decks(tmp_path: Path, a: str, b: str) -> list[Path]:
    paths = [tmp_path / "a.md", tmp_path / "b.md"]
    for path, body in zip(paths, (a, b), strict=True):
        path.write_text(HEADER + body, encoding="utf-8")
    return paths


def test_near_duplicate_questions_across_files_are_warnings_naming_both(tmp_path: Path) -> None:
    paths = write_decks(
        tmp_path,
        card("soft-1", q="What does **softmax** do?", a="It maps logits to probabilities."),
        card("x", q="Anything else?")
        + card("soft-2", q="what does  $\\mathrm{softmax}$ do", a="Normalises the scores."),
    )
    report = check_paths(paths)
    assert report.problems == [] and report.ok
    assert [str(w) for w in report.warnings] == [
        f"{paths[1]}:21: warning: card 'soft-2' (en) asks the same question as card 'soft-1' at "
        f"{paths[0]}:6 (near-duplicate: merge them, or make them differ)"
    ]


def test_near_duplicate_answers_are_warnings_but_short_answers_may_repeat(tmp_path: Path) -> None:
    paths = write_decks(
        tmp_path,
        card("a1", q="Cost of sorting?", a="O(n log n)")
        + card("a2", q="Why scale by sqrt(d_k)?", a="It keeps the *logits'* variance near 1."),
        card("b1", q="Cost of merge sort?", a="$O(n \\log n)$")
        + card("b2", q="Why divide by $\\sqrt{d_k}$?", a="It keeps the logits variance near 1"),
    )
    warnings = [str(w) for w in check_paths(paths).warnings]
    assert warnings == [
        f"{paths[1]}:21: warning: card 'b2' (en) gives the same answer as card 'a2' at "
        f"{paths[0]}:21 (near-duplicate: merge them, or make them differ)"
    ]


def test_cli_prints_warnings_and_fails_on_them_only_when_strict(tmp_path: Path) -> None:
    paths = write_decks(tmp_path, card("one", q="Same question?"), card("two", q="same QUESTION"))
    for strict, code in (([], 0), (["--strict"], 1)):
        out = subprocess.run(
            [sys.executable, "-m", "studyapp", "check", "decks", *map(str, paths), *strict],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=120,
        )
        assert out.returncode == code, out.stderr
        assert f"{paths[1]}:6: warning: card 'two' (en) asks the same question" in out.stdout
        assert "0 problems, 1 warnings" in out.stdout
