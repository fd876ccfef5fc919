"""Simulated learners studying with SM-2, written as real StudyApp collections, then evaluated.

Each learner answers a growing deck for months under the app's exact SM-2 schedule (with
same-day re-drills of grades below 4, and skipped days that leave reviews overdue). The review
log is written into a collection file created by ``Collection.open``; then
``studyapp.core.scheduling.evaluation.evaluate`` scores SM-2 and FSRS-6 on it, as
``studyapp scheduler evaluate`` does on a learner's own file.

Memory model (ours, deliberately not FSRS's own equations, so FSRS has something to learn):

- A card has a difficulty ``d`` ~ Beta(2, 2) in (0, 1) and a fixed noise factor
  ``z`` ~ LogNormal(0, 0.3).
- A learner has a forgetting shape ``beta`` ~ U(0.4, 1.2), a first-exposure stability ``s0`` ~
  LogNormal(ln 2, 0.3) days, a growth ``g`` ~ U(4, 8), a lapse factor ``f`` ~ U(0.2, 0.5), prior
  knowledge ``k`` ~ U(0.05, 0.35), a chance ``skip`` ~ U(0.05, 0.25) of not studying on a day,
  and 5-25 new cards a day (scaled up with ``--reviews``).
- Recall after ``t`` days at stability ``S`` (days until recall falls to 90 %):
  ``R = (1 + kappa t / S) ** -beta`` with ``kappa = 0.9 ** (-1 / beta) - 1`` (power forgetting).
  A new card is recalled with probability ``k (1 - d)``.
- The answer is drawn: recalled with probability R. The grade follows R plus noise
  ``e`` ~ N(0, 0.1): recalled 5 if R + e > 0.95, 4 if > 0.7, else 3; forgotten 2 if R + e > 0.5,
  1 if > 0.25, else 0.
- After the first answer ``S = s0 exp(-1.5 d) z`` (twice that if recalled). After a recalled
  review ``S <- S (1 + g (1.1 - d) sqrt(1 - R) S ** -0.1)`` (the lower R was, the more the review
  strengthens memory: the spacing effect), after a lapse ``S <- max(0.25, f S)``.
- Same-day re-drills succeed (grade 4-5) with probability 0.8 each, else grade 1-3; they do not
  change ``S`` (the lapse update already includes relearning that day).

Usage: python bench/simulate_learners.py [--learners 3] [--reviews 20000] [--seed 1]
       [--retention 0.9] [--no-optimise] [--exact] [--data-dir PATH [--reuse]]
       python bench/simulate_learners.py --learners 1 --reviews 1000000   (evaluation time at 1 M)
Prints each learner's table, then one JSON line last.
"""

from __future__ import annotations

import argparse
import heapq
import json
import math
import random
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from studyapp.core.collection import Collection  # noqa: E402
from studyapp.core.scheduling.evaluation import evaluate, format_table, open_readonly  # noqa: E402
from studyapp.core.scheduling.sm2 import REDRILL_BELOW, Sm2State  # noqa: E402
from studyapp.core.scheduling.sm2 import review as sm2_review  # noqa: E402

_UNIX_DAY = 719_163  # date(1970, 1, 1).toordinal()


@dataclass(frozen=True)
class Learner:
    """One simulated learner's memory parameters (see the module docstring)."""

    beta: float
    s0: float
    growth: float
    lapse: float
    prior: float
    skip: float
    new_per_day: int

    @classmethod
    def draw(cls, rng: random.Random, new_per_day: int) -> Learner:
        return cls(
            beta=rng.uniform(0.4, 1.2),
            s0=rng.lognormvariate(math.log(2.0), 0.3),
            growth=rng.uniform(4.0, 8.0),
            lapse=rng.uniform(0.2, 0.5),
            prior=rng.uniform(0.05, 0.35),
            skip=rng.uniform(0.05, 0.25),
            new_per_day=new_per_day,
        )

    @property
    def kappa(self) -> float:
        return 0.9 ** (-1 / self.beta) - 1


@dataclass
class SimCard:
    difficulty: float
    noise: float
    stability: float | None = None
    last_day: int = 0
    state: Sm2State = field(default_factory=Sm2State)
    due_day: int | None = None


@dataclass
class Simulation:
    learner: Learner
    cards: list[SimCard]
    #: review_log rows with item index and relative day (shifted when written)
    rows: list[tuple]
    days: int


def _grade(p: float, recalled: bool, rng: random.Random) -> int:
    x = p + rng.gauss(0.0, 0.1)
    if recalled:
        return 5 if x > 0.95 else 4 if x > 0.7 else 3
    return 2 if x > 0.5 else 1 if x > 0.25 else 0


def _answer(card: SimCard, day: int, learner: Learner, rng: random.Random) -> int:
    """Draw one answer from the memory model and update the card's latent stability."""
    if card.stability is None:
        p = learner.prior * (1 - card.difficulty)
        recalled = rng.random() < p
        card.stability = learner.s0 * math.exp(-1.5 * card.difficulty) * card.noise
        card.stability *= 2 if recalled else 1
    else:
        t = day - card.last_day
        p = (1 + learner.kappa * t / card.stability) ** -learner.beta
        recalled = rng.random() < p
        if recalled:
            gain = learner.growth * (1.1 - card.difficulty) * math.sqrt(1 - p)
            card.stability *= 1 + gain * card.stability**-0.1
        else:
            card.stability = max(0.25, learner.lapse * card.stability)
    card.last_day = day
    return _grade(p, recalled, rng)


def _study(
    sim: Simulation, index: int, day: int, clock_ms: int, rng: random.Random
) -> tuple[int, int]:
    """One card asked on ``day``: the graded answer, then its re-drills. Returns (reviews
    written, the clock after)."""
    card = sim.cards[index]
    quality = _answer(card, day, sim.learner, rng)
    before, due_before = card.state, card.due_day
    after = sm2_review(before, quality)
    card.state, card.due_day = after, day + after.interval
    redrill = day if quality < REDRILL_BELOW else None
    seconds = 4.0 + 20.0 * card.difficulty + rng.expovariate(0.2)
    sim.rows.append(
        (
            index,
            clock_ms,
            day,
            quality,
            "review",
            seconds,
            before,
            due_before,
            None,
            after,
            card.due_day,
            redrill,
        )
    )
    clock_ms += 2_000  # answers 2 s apart: a day of thousands still ends before midnight
    tries = 0
    while redrill is not None and tries < 6:
        tries += 1
        q = rng.choice((4, 5)) if rng.random() < 0.8 else rng.choice((1, 2, 3))
        clock_ms += 1_000
        after_redrill = day if q < REDRILL_BELOW else None
        sim.rows.append(
            (
                index,
                clock_ms,
                day,
                q,
                "redrill",
                5.0,
                after,
                card.due_day,
                day,
                after,
                card.due_day,
                after_redrill,
            )
        )
        redrill = after_redrill
    return 1, clock_ms


def simulate(learner: Learner, reviews: int, rng: random.Random) -> Simulation:
    """Study day by day (due cards most overdue first, then new ones) until ``reviews``."""
    sim = Simulation(learner, [], [], 0)
    due: list[tuple[int, int]] = []  # (due day, card index)
    done, day = 0, 0
    while done < reviews:
        if rng.random() < learner.skip:
            day += 1
            continue
        clock_ms = 9 * 3_600_000  # 09:00 into the study day
        todays = []
        while due and due[0][0] <= day:
            todays.append(heapq.heappop(due)[1])
        for _ in range(learner.new_per_day):
            sim.cards.append(SimCard(rng.betavariate(2, 2), rng.lognormvariate(0, 0.3)))
            todays.append(len(sim.cards) - 1)
        for index in todays:
            written, clock_ms = _study(sim, index, day, clock_ms, rng)
            done += written
            heapq.heappush(due, (sim.cards[index].due_day, index))
            if done >= reviews:
                break
        day += 1
    sim.days = day
    return sim


def write_collection(sim: Simulation, data_dir: Path) -> Path:
    """A real collection file: created by ``Collection.open``, the deck, cards and log
    inserted in one transaction; the last simulated day becomes yesterday."""
    col = Collection.open(data_dir)
    try:
        shift = col.today() - sim.days
        with col.db.transaction() as conn:
            conn.execute(
                "INSERT INTO deck(id, key, title, description, tags, language, titles_json, "
                "source_path, enabled, retired) VALUES (1, 'sim', 'Simulated', '', '', 'en', "
                "'{}', '', 1, 0)"
            )
            conn.executemany(
                "INSERT INTO item(id, kind, key, deck_id, position, front, back, texts_json, "
                "tags, source, content_hash, repetitions, ef_hundredths, interval, due_day, "
                "suspended, retired, added_ms) VALUES (?, 'card', ?, 1, ?, ?, '', '{}', '', '', "
                "'', ?, ?, ?, ?, 0, 0, 0)",
                (_item_row(n, c, shift) for n, c in enumerate(sim.cards)),
            )
            conn.executemany(
                "INSERT INTO review_log(item_id, reviewed_ms, study_day, quality, kind, seconds, "
                "reps_before, ef_before, interval_before, due_before, redrill_before, "
                "reps_after, ef_after, interval_after, due_after, redrill_after) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (_log_row(row, shift) for row in sim.rows),
            )
        col.update_settings(reviews_per_day=100_000)
        return col.path
    finally:
        col.close()


def _item_row(n: int, card: SimCard, shift: int) -> tuple:
    state = card.state
    due = None if card.due_day is None else card.due_day + shift
    return (
        n + 1,
        f"sim-{n}",
        n,
        f"Simulated card {n}",
        state.repetitions,
        state.ef_hundredths,
        state.interval,
        due,
    )


def _item_row(n: int, card: SimCard, shift: int) -> tuple:
    state, due = card.state, None if card.due_day is None else card.due_day + shift
    return (
        n + 1,
        f"sim-{n}",
        n,
        f"Card {n}",
        state.repetitions,
        state.ef_hundredths,
        state.interval,
        due,
    )


def _log_row(row: tuple, shift: int) -> tuple:
    index, ms, day, q, kind, seconds, before, due_before, redrill_before, after, due, redrill = row
    real_day = day + shift
    return (
        index + 1,
        (real_day - _UNIX_DAY) * 86_400_000 + ms,
        real_day,
        q,
        kind,
        seconds,
        before.repetitions,
        before.ef_hundredths,
        before.interval,
        None if due_before is None else due_before + shift,
        None if redrill_before is None else redrill_before + shift,
        after.repetitions,
        after.ef_hundredths,
        after.interval,
        due + shift,
        None if redrill is None else redrill + shift,
    )


def run_learner(n: int, args: argparse.Namespace, root: Path) -> dict:
    rng = random.Random(args.seed * 1000 + n)
    learner = Learner.draw(rng, max(rng.randint(5, 25), args.reviews // 4000))
    folder = root / f"learner-{n}"
    started = time.perf_counter()
    if args.reuse and (folder / "collection.sqlite").is_file():
        path, days, cards, simulated, written = folder / "collection.sqlite", 0, 0, 0.0, 0.0
    else:
        sim = simulate(learner, args.reviews, rng)
        days, cards = sim.days, len(sim.cards)
        simulated = time.perf_counter() - started
        started = time.perf_counter()
        path = write_collection(sim, folder)
        written = time.perf_counter() - started
        del sim
    conn = open_readonly(path)
    try:
        started, cpu = time.perf_counter(), time.process_time()
        result = evaluate(
            conn,
            desired_retention=args.retention,
            optimise_parameters=not args.no_optimise,
            exact=args.exact,
        )
        evaluated, cpu = time.perf_counter() - started, time.process_time() - cpu
    finally:
        conn.close()
    print(f"\n== learner {n}: {learner} — {days} days, {cards} cards")
    print(format_table(result))
    print(f"simulate {simulated:.1f} s, write {written:.1f} s, evaluate {evaluated:.1f} s")
    print(f"evaluation steps (wall s): {result['seconds']}; CPU in this process {cpu:.1f} s")
    return {
        "learner": n,
        "memory": learner.__dict__,
        "days": days,
        "cards": cards,
        "simulate_s": round(simulated, 2),
        "write_s": round(written, 2),
        "evaluate_s": round(evaluated, 2),
        "evaluate_cpu_s": round(cpu, 2),
        "evaluation": {k: v for k, v in result.items() if k not in ("workload",)}
        | {"workload_totals": {k: sum(v) for k, v in result["workload"].items() if k != "days"}},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=3)
    parser.add_argument("--reviews", type=int, default=20_000, help="graded reviews per learner")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--retention", type=float, default=0.9)
    parser.add_argument("--no-optimise", action="store_true", help="skip the FSRS optimiser")
    parser.add_argument("--exact", action="store_true", help="one py-fsrs review_card per answer")
    parser.add_argument("--data-dir", type=Path, help="keep the collections here")
    parser.add_argument(
        "--reuse", action="store_true", help="evaluate the collections already in --data-dir"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        root = args.data_dir or Path(tmp)
        results = [run_learner(n, args, root) for n in range(args.learners)]
    print(json.dumps({"reviews_per_learner": args.reviews, "learners": results}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
