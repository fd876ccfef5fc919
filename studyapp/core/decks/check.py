"""The deck checker: everything that would show a learner a broken card, found before they do.

Parsing already reports malformed cards, empty sides, unclosed code fences and duplicate ids.
On top of that the checker renders every card side with the app's own renderer (every formula
drawn, and whatever the renderer would not show as written: a side too long or too tangled for
Markdown, formulas over the cap), requires each translation the deck promises, limits question
length (a question should be answerable in about ten seconds) and answer length, and requires a
source on every factual card.

Warnings are for what may be fine but usually is not: two cards, anywhere in the files checked
together, that ask the same question or give the same answer once case, spacing, punctuation and
Markdown/LaTeX markup are set aside (a near-duplicate splits one memory between two schedules).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from studyapp.core.decks.format import CardSpec, DeckLoad, DeckProblem, DeckSpec, load_decks
from studyapp.core.rendering.math_render import MathError, MathImage, MathRenderer
from studyapp.core.rendering.render import Renderer

__all__ = ["DEFAULT_MAX_ANSWER", "DEFAULT_MAX_QUESTION", "CheckReport", "check_paths", "normalise"]

#: Characters; longer questions are usually two ideas or a hidden answer.
DEFAULT_MAX_QUESTION = 300
#: Characters; a longer answer does not fit on a screen and is not one thing to remember.
DEFAULT_MAX_ANSWER = 5000


@dataclass
class CheckReport:
    """Problems found, with what was checked."""

    decks: int = 0
    cards: int = 0
    formulas: int = 0
    problems: list[DeckProblem] = field(default_factory=list)
    #: Near-duplicates: printed, and failing the check only when asked to be strict.
    warnings: list[DeckProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


class _FormulaProbe:
    """Stands in for MathRenderer: renders for real and remembers the formulas that fail."""

    def __init__(self) -> None:
        self._real = MathRenderer()
        self.seen = 0
        self.failures: list[MathError] = []

    def render(self, tex: str, *, display: bool, color: str) -> MathImage:
        self.seen += 1
        try:
            return self._real.render(tex, display=display, color=color)
        except MathError as exc:
            self.failures.append(exc)
            raise


def _check_deck(
    deck: DeckSpec, max_question: int, report: CheckReport, probe: _FormulaProbe
) -> None:
    for card in deck.cards:
        report.cards += 1
        missing = [lang for lang in deck.translations if lang not in card.texts]
        if missing:
            report.problems.append(
                DeckProblem(
                    card.path,
                    card.line,
                    f"card {card.id!r} has no translation into {', '.join(missing)} "
                    f"(add '### Q {missing[0]}' and '### A {missing[0]}')",
                )
            )
        for lang, text in card.texts.items():
            if len(text.front) > max_question:
                report.problems.append(
                    DeckProblem(
                        card.path,
                        card.line,
                        f"card {card.id!r} ({lang}): the question has {len(text.front)} "
                        f"characters, more than {max_question}; split it or move detail to the "
                        "answer",
                    )
                )
            if len(text.back) > DEFAULT_MAX_ANSWER:
                report.problems.append(
                    DeckProblem(
                        card.path,
                        card.line,
                        f"card {card.id!r} ({lang}): the answer has {len(text.back):,} "
                        f"characters, more than {DEFAULT_MAX_ANSWER:,}; split the card",
                    )
                )
            _check_rendering(card, lang, (text.front, text.back), report, probe)
        if card.factual and not card.source:
            report.problems.append(
                DeckProblem(
                    card.path,
                    card.line,
                    f"card {card.id!r} is factual but has no 'source:' line "
                    "(add one, or 'factual: no' for a card that states no fact)",
                )
            )


def _check_rendering(
    card: CardSpec,
    lang: str,
    sides: tuple[str, str],
    report: CheckReport,
    probe: _FormulaProbe,
) -> None:
    """Render both sides as the app would; report failed formulas and the renderer's limits."""
    renderer = Renderer(probe)  # type: ignore[arg-type]  # a fresh one: no cached fragments
    probe.failures.clear()
    for name, side in zip(("question", "answer"), sides, strict=True):
        for limit in renderer.limits(side):
            report.problems.append(
                DeckProblem(card.path, card.line, f"card {card.id!r} ({lang}), {name}: {limit}")
            )
    for failure in probe.failures:
        tex = failure.tex if len(failure.tex) <= 80 else failure.tex[:79] + "…"
        report.problems.append(
            DeckProblem(
                card.path,
                card.line,
                f"card {card.id!r} ({lang}): formula ${tex}$ does not render: {failure.reason}",
            )
        )


# -- near-duplicates --------------------------------------------------------------------------

#: LaTeX that only styles or spaces: dropped, so "$\mathrm{softmax}(x)$" equals "softmax(x)".
_LATEX_STYLE = re.compile(
    r"\\(?:math(?:rm|bf|it|cal|bb|sf|tt)|text(?:bf|it|rm|tt)?|operatorname|left|right|"
    r"[bB]ig{1,2}[lr]?|displaystyle|q?quad|[,;:! ])(?![A-Za-z])"
)
#: A Markdown link or picture keeps its text (bounded, so that this stays linear).
_MD_LINK = re.compile(r"!?\[([^\[\]\n]{0,300})\]\([^()\n]{0,500}\)")
_HTML_TAG = re.compile(r"<[^<>\n]{0,300}>")
_NON_WORD = re.compile(r"[\W_]+")
#: Answers this short (in characters, once normalised) may rightly repeat: "Yes", "O(n log n)".
_MIN_ANSWER_CHARS = 16


def normalise(text: str) -> str:
    """``text`` lower-cased, with markup, punctuation and spacing removed: words and numbers."""
    text = _MD_LINK.sub(r"\1", text)
    text = _HTML_TAG.sub(" ", text)
    text = _LATEX_STYLE.sub(" ", text)
    return " ".join(_NON_WORD.sub(" ", text.casefold()).split())


def _near_duplicates(decks: list[DeckSpec]) -> list[DeckProblem]:
    """A warning on each card whose question or answer repeats an earlier card's, naming both."""
    first: dict[tuple[str, str], CardSpec] = {}
    warnings: list[DeckProblem] = []
    for card in (card for deck in decks for card in deck.cards):
        reported: set[str] = set()
        for side, lang, key in _side_keys(card):
            other = first.setdefault((side, key), card)
            if other.id == card.id or side in reported:
                continue
            reported.add(side)
            verb = "asks the same question" if side == "question" else "gives the same answer"
            warnings.append(
                DeckProblem(
                    card.path,
                    card.line,
                    f"warning: card {card.id!r} ({lang}) {verb} as card {other.id!r} at "
                    f"{other.path}:{other.line} (near-duplicate: merge them, or make them "
                    "differ)",
                )
            )
    return warnings


def _side_keys(card: CardSpec) -> list[tuple[str, str, str]]:
    """(side, language, normalised text) of each side worth comparing."""
    keys = []
    for lang, text in card.texts.items():
        for side, raw in (("question", text.front), ("answer", text.back)):
            if len(raw) > DEFAULT_MAX_ANSWER:  # reported as too long; not worth normalising
                continue
            key = normalise(raw)
            if key and (side == "question" or len(key) >= _MIN_ANSWER_CHARS):
                keys.append((side, lang, key))
    return keys


def _report(load: DeckLoad, max_question: int) -> CheckReport:
    report = CheckReport(decks=len(load.decks), problems=list(load.problems))
    probe = _FormulaProbe()  # one for all cards: its renderer caches formulas seen before
    for deck in load.decks:
        _check_deck(deck, max_question, report, probe)
    report.formulas = probe.seen
    report.problems.sort(key=lambda p: (str(p.path), p.line))
    report.warnings = _near_duplicates(load.decks)
    return report


def check_paths(paths: Iterable[Path], *, max_question: int = DEFAULT_MAX_QUESTION) -> CheckReport:
    """Check deck files and folders (ids must be unique across all of them)."""
    return _report(load_decks(paths), max_question)
