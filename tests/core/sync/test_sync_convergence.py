"""Three computers, three copies of the sync folder, an engine copying files between them in
random partial orders: every device ends with the same state and every review counted once."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from studyapp.core.sync import Review, ReviewUndone
from tests.core.sync.sim import DAY_MS, ITEMS, Engine, SimDevice, World, converge, run_random

SEEDS = range(20)


def made_reviews(devices: list[SimDevice]) -> set[tuple[str, int]]:
    """Ids of every review made anywhere and not undone."""
    events = [e for d in devices for e in d.made]
    undone = {(e.target_device, e.target_seq) for e in events if isinstance(e, ReviewUndone)}
    return {(e.device, e.seq) for e in events if isinstance(e, Review)} - undone


def logged(dev: SimDevice) -> list[tuple[str, int]]:
    return [(i.device, i.seq) for i in dev.state.review_log.ids()]


def assert_own_order(dev: SimDevice) -> None:
    """A device's own events carry strictly increasing stamps, whatever its wall clock did."""
    stamps = [(e.ms, e.counter) for e in dev.made]
    assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)


@pytest.mark.parametrize("seed", SEEDS)
def test_three_devices_with_skewed_clocks_converge(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    world = World()
    a = SimDevice(tmp_path, "laptop01", world)
    b = SimDevice(tmp_path, "desktop1", world, skew_ms=+DAY_MS)
    c = SimDevice(tmp_path, "travel01", world, skew_ms=-DAY_MS)
    devices = [a, b, c]
    engine = Engine(devices, rng)

    def events(step: int) -> None:
        if step == 60:
            a.skew_ms = -DAY_MS  # the laptop's clock jumps back a day
        if step in (80, 130):  # compaction while files are still travelling
            dev = rng.choice(devices)
            before = set(engine._files(dev))
            dev.sync()
            dev.compact()
            engine.note_deletions(dev, before)

    run_random(devices, engine, rng, 160, on_step=events)
    # Two devices review the same card before they meet, and both edit the same card.
    a.answer(ITEMS[0], 5), b.answer(ITEMS[0], 2)
    a.edit(ITEMS[1], back="laptop's back"), b.edit(ITEMS[1], back="desktop's back")
    prints = converge(devices, engine)

    assert len(set(prints)) == 1, "devices disagree after every file arrived"
    for dev in devices:
        assert_own_order(dev)
        ids = logged(dev)
        assert len(ids) == len(set(ids)), "a review counted twice"
        assert set(ids) == made_reviews(devices), "a review lost or an undone one kept"
        by_device = {}
        for device, seq in ids:  # one device's reviews replay in the order it made them
            by_device.setdefault(device, []).append(seq)
        assert all(seqs == sorted(seqs) for seqs in by_device.values())
        assert not dev.last_read.problems  # the engines caught up: nothing left half-copied
    card = a.state.cards[ITEMS[1]]
    assert card.fields["back"] == "desktop's back"  # the desktop's clock is a day ahead
    backs = [dict(e.fields).get("back") for e in card.history]
    assert {"laptop's back", "desktop's back"} <= set(backs)  # the loser stays in the history


def test_partial_copies_are_reported_then_read_once_complete(tmp_path: Path) -> None:
    """A half-copied file under its final name is skipped with a message, never half-read."""
    world = World()
    a, b = SimDevice(tmp_path, "laptop01", world), SimDevice(tmp_path, "desktop1", world)
    for k in range(5):
        a.answer(ITEMS[k], 4)
    a.sync()
    (seg,) = (a.folder / "devices" / "laptop01").glob("*.seg")
    target = b.folder / "devices" / "laptop01" / seg.name
    target.parent.mkdir(parents=True)
    target.write_bytes(seg.read_bytes()[:-20])
    (target.parent / f".syncthing.{seg.name}.tmp").write_bytes(seg.read_bytes()[:10])

    b.sync()
    assert not b.state.items
    (problem,) = b.last_read.problems
    assert problem.path == target and "truncated" in problem.message

    shutil.copyfile(seg, target)
    assert b.sync().fingerprint() == a.sync().fingerprint()
    assert not b.last_read.problems


def test_device_joining_late_rebuilds_months_of_history(tmp_path: Path) -> None:
    rng = random.Random(7)
    world = World()
    a, b = SimDevice(tmp_path, "laptop01", world), SimDevice(tmp_path, "desktop1", world)
    engine = Engine([a, b], rng)
    for _day in range(120):  # four months, a few answers a day on either machine
        for _ in range(rng.randrange(3, 8)):
            rng.choice([a, b]).answer(rng.choice(ITEMS), rng.choice([3, 4, 5, 5, 2]))
        rng.choice([a, b]).sync()
        engine.step()
        engine.step()
        world.advance(DAY_MS)
    converge([a, b], engine)
    before = set(engine._files(a))
    a.compact()
    engine.note_deletions(a, before)
    engine.settle()

    late = SimDevice(tmp_path, "newpc001", world)
    engine.devices.append(late)
    prints = converge([a, b, late], engine)
    assert len(set(prints)) == 1
    assert set(logged(late)) == made_reviews([a, b, late])
    assert len(logged(late)) > 400
    # The newcomer studies on from the shared state, and the others see it.
    late.answer(ITEMS[3], 5)
    assert len(set(converge([a, b, late], engine))) == 1


def test_removed_device_history_survives_for_later_devices(tmp_path: Path) -> None:
    """A device's folder deleted everywhere: its reviews stay, and a new device still gets them
    because another device adopts them into its own snapshot."""
    rng = random.Random(3)
    world = World()
    a, b, c = (SimDevice(tmp_path, name, world) for name in ("laptop01", "desktop1", "oldpc001"))
    engine = Engine([a, b, c], rng)
    run_random([a, b, c], engine, rng, 80)
    converge([a, b, c], engine)
    c_reviews = made_reviews([c])
    assert c_reviews

    engine.devices.remove(c)
    for dev in (a, b):
        shutil.rmtree(dev.folder / "devices" / "oldpc001")
    before = set(engine._files(a))
    a.compact()
    engine.note_deletions(a, before)
    assert a.sync().fingerprint() == b.sync().fingerprint()

    newcomer = SimDevice(tmp_path, "newpc001", world)
    engine.devices.append(newcomer)
    prints = converge([a, b, newcomer], engine)
    assert len(set(prints)) == 1
    assert c_reviews <= set(logged(newcomer))
