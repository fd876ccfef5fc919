"""The deck checker: everything that would show a learner a broken card, found before they do.

Parsing already reports malformed cards, empty sides, unclosed code fences and duplicate ids.
On top of that the checker renders every formula with the app's own renderer, requires each
translation the deck promises, limits question length (a question should be answerable in about
ten seconds), and requires a source on every factual card.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from studyapp.core.deck_format import DeckLoad, DeckProblem, DeckSpec, load_decks
from studyapp.core.math_render import MathError, MathImage, MathRenderer
from studyapp.core.render import LIGHT, Renderer

__all__ = ["DEFAULT_MAX_QUESTION", "CheckReport", "check_paths"]

#: Characters; longer questions are usually two ideas or a hidden answer.
DEFAULT_MAX_QUESTION = 300


@dataclass
class CheckReport:
    """Problems found, with what was checked."""

    decks: int = 0
    cards: int = 0
    formulas: int = 0
    problems: list[DeckProblem] = field(default_factory=list)

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
            probe.failures.clear()
            Renderer(probe).card_document(text.front, text.back, LIGHT)  # type: ignore[arg-type]
            for failure in probe.failures:
                report.problems.append(
                    DeckProblem(
                        card.path,
                        card.line,
                        f"card {card.id!r} ({lang}): formula ${failure.tex}$ does not render: "
                        f"{failure.reason}",
                    )
                )
        if card.factual and not card.source:
            report.problems.append(
                DeckProblem(
                    card.path,
                    card.line,
                    f"card {card.id!r} is factual but has no 'source:' line "
                    "(add one, or 'factual: no' for a card that states no fact)",
                )
            )


def _report(load: DeckLoad, max_question: int) -> CheckReport:
    report = CheckReport(decks=len(load.decks), problems=list(load.problems))
    probe = _FormulaProbe()  # one for all cards: its renderer caches formulas seen before
    for deck in load.decks:
        _check_deck(deck, max_question, report, probe)
    report.formulas = probe.seen
    report.problems.sort(key=lambda p: (str(p.path), p.line))
    return report


def check_paths(paths: Iterable[Path], *, max_question: int = DEFAULT_MAX_QUESTION) -> CheckReport:
    """Check deck files and folders (ids must be unique across all of them)."""
    return _report(load_decks(paths), max_question)
