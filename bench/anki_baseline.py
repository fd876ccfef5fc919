"""Anki's figures for the same review-loop measurement, as the baseline for review_bench.py.

Runs under a *separate* Python that has the `anki` package (AGPL; it is only driven through its
public API here, never imported by StudyApp):

    python3 -m venv /tmp/ankienv && /tmp/ankienv/bin/pip install anki
    /tmp/ankienv/bin/python bench/anki_baseline.py --cards 100000

It builds a collection of N Basic notes, makes every card due (Anki's own "Set Due Date", then
30 days pass), and measures open -> first card and answer + next-card fetch over 1,000 answers
(Good), without and with rendering the card, like review_bench.py. The last line is JSON.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FRONT = "What does <b>softmax</b> do to logits, and why subtract the max? (card {i})"
BACK = "It maps logits to probabilities; subtracting the max avoids overflow. Карточка {i}."


def build(path: Path, cards: int) -> None:
    from anki.collection import AddNoteRequest, Collection

    col = Collection(str(path))
    model = col.models.by_name("Basic")
    deck_id = col.decks.id("Default")
    requests = []
    for i in range(cards):
        note = col.new_note(model)
        note["Front"] = FRONT.format(i=i)
        note["Back"] = BACK.format(i=i)
        requests.append(AddNoteRequest(note=note, deck_id=deck_id))
    col.add_notes(requests)
    col.sched.set_due_date(col.find_cards(""), "0-29!")
    col.crt -= 30 * 86400
    conf = col.decks.config_dict_for_deck_id(deck_id)
    conf["rev"]["perDay"] = 9999
    col.decks.update_config(conf)
    col.close()


def measure(path: Path, answers: int) -> dict[str, float]:
    from anki.collection import Collection  # first: anki.cards alone is a circular import

    # isort: split
    from anki.cards import Card
    from anki.scheduler.v3 import CardAnswer

    t0 = time.perf_counter()
    col = Collection(str(path))
    top = col.sched.get_queued_cards().cards[0]
    open_first = time.perf_counter() - t0
    plain, rendered = [], []
    for n in range(answers):
        t = time.perf_counter()
        card = Card(col, backend_card=top.card)
        card.start_timer()
        if n % 2:
            card.question()
            card.answer()
        answer = col.sched.build_answer(card=card, states=top.states, rating=CardAnswer.GOOD)
        col.sched.answer_card(answer)
        top = col.sched.get_queued_cards().cards[0]
        (rendered if n % 2 else plain).append(time.perf_counter() - t)
    col.close()
    plain.sort()
    rendered.sort()
    return {
        "anki_open_first_card_s": round(open_first, 4),
        "anki_answer_median_ms": round(statistics.median(plain) * 1000, 3),
        "anki_answer_p99_ms": round(plain[int(len(plain) * 0.99) - 1] * 1000, 3),
        "anki_answer_render_median_ms": round(statistics.median(rendered) * 1000, 3),
        "anki_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=100_000)
    parser.add_argument("--answers", type=int, default=1_000)
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:  # the measuring child: a fresh process, as an app start would be
        print(json.dumps(measure(args.measure, args.answers)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "collection.anki2"
        build(path, args.cards)
        out = subprocess.run(
            [sys.executable, __file__, "--measure", str(path), "--answers", str(args.answers)],
            capture_output=True,
            text=True,
        )
    if out.returncode != 0:
        raise SystemExit(f"the measuring process failed:\n{out.stderr}")
    print(out.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
