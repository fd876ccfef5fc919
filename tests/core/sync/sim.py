"""A small world for sync tests: devices with skewed clocks, and a file-sync engine that copies
files between their copies of the sync folder the way Syncthing or Dropbox would (in random
order, through temporary files, sometimes half-way, sometimes leaving conflict copies).

Each device answers cards the way the collection does (the schedule it shows is the one it last
synced, plus its own answers since), writes its events with ``DeviceLog`` and reads everything
back with ``read_folder`` and ``replay``: only the SQLite part is missing.
"""

from __future__ import annotations

import os
import random
import shutil
from collections.abc import Callable
from pathlib import Path

from studyapp.core.scheduling.sm2 import REDRILL_BELOW, Sm2State, review
from studyapp.core.sync import (
    CardEdited,
    DeckEnabled,
    DeviceLog,
    DrillAttempted,
    Event,
    EventSet,
    FolderRead,
    FolderReader,
    HybridClock,
    ItemSuspended,
    ReplayResult,
    Review,
    ReviewUndone,
    Schedule,
    SettingChanged,
    read_folder,
    replay,
)

DAY_MS = 86_400_000
#: 2026-03-02 10:00 UTC, the project's usual test time.
START_MS = 1_772_445_600_000
ITEMS = [f"card:c{k}" for k in range(12)]


class World:
    """The shared "real" time; each device's wall clock is this plus its skew."""

    def __init__(self) -> None:
        self.now_ms = START_MS

    def advance(self, ms: int) -> None:
        self.now_ms += ms


class SimDevice:
    """One computer: its own copy of the sync folder, a mirror, a clock and local state."""

    def __init__(self, root: Path, device: str, world: World, skew_ms: int = 0) -> None:
        self.device, self.world, self.skew_ms = device, world, skew_ms
        self.folder = root / device / "sync"
        self.mirror = root / device / "mirror"
        self.folder.mkdir(parents=True)
        self.clock = HybridClock(device, wall=self.wall)
        self.log = DeviceLog(self.folder, device)
        self.seq = 0
        self.outbox: list[Event] = []
        self.made: list[Event] = []
        self.state: ReplayResult = replay(EventSet())
        self.schedule: dict[str, Schedule] = {}
        self.last_read: FolderRead | None = None
        self.reader = FolderReader(self.folder, mirror=self.mirror)

    def wall(self) -> int:
        return self.world.now_ms + self.skew_ms

    def day(self) -> int:
        return 739_000 + self.wall() // DAY_MS

    def _head(self) -> tuple[str, int, int, int]:
        self.seq += 1
        stamp = self.clock.now()
        return self.device, self.seq, stamp.ms, stamp.counter

    def _emit(self, event: Event) -> Event:
        self.outbox.append(event)
        self.made.append(event)
        return event

    def answer(self, item: str, grade: int) -> Review:
        """Answer as the collection does: a re-drill on the day of a failed answer, else SM-2."""
        before, day = self.schedule.get(item, Schedule()), self.day()
        if before.redrill_day == day:
            kind, (reps, ef, interval), due = "redrill", _sm2(before), before.due_day
        else:
            nxt = review(Sm2State.from_hundredths(*_sm2(before)), grade)
            kind, reps, ef, interval = "review", nxt.repetitions, nxt.ef_hundredths, nxt.interval
            due = day + interval
        after = Schedule(reps, ef, interval, due, day if grade < REDRILL_BELOW else None)
        self.schedule[item] = after
        event = Review(*self._head(), item, grade, self.wall(), day, 4.5, kind, before, after)
        return self._emit(event)  # type: ignore[return-value]

    def undo(self, target: Review) -> Event:
        self.schedule[target.item] = target.before
        return self._emit(ReviewUndone(*self._head(), target.device, target.seq))

    def edit(self, item: str, **fields: str) -> Event:
        return self._emit(CardEdited(*self._head(), item, tuple(sorted(fields.items()))))

    def suspend(self, item: str, on: bool) -> Event:
        return self._emit(ItemSuspended(*self._head(), item, on))

    def toggle_deck(self, deck: str, on: bool) -> Event:
        return self._emit(DeckEnabled(*self._head(), deck, on))

    def setting(self, name: str, value: int) -> Event:
        return self._emit(SettingChanged(*self._head(), name, value))

    def drill(self, item: str, outcome: str) -> Event:
        started = self.wall()
        return self._emit(
            DrillAttempted(
                *self._head(), item, started, self.day(), "def f(): ...", outcome, "", 0.3,
                "cpu", 2, 3, "run",
            )
        )  # fmt: skip

    def sync(self) -> ReplayResult:
        """Write the outbox as a segment, read every device's files, replay, adopt the result."""
        self.log.write_segment(self.outbox)
        self.outbox = []
        read = self.last_read = self.reader.read()
        for event in read.events.others.values():
            self.clock.observe(event.stamp)
        arrays = read.events.review_arrays()
        if len(arrays):
            self.clock.observe((int(arrays.columns["h"].max()), 0))
        self.state = replay(read.events)
        self.schedule = {k: v.schedule for k, v in self.state.items.items()}
        return self.state

    def compact(self) -> Path | None:
        read = read_folder(self.folder, mirror=self.mirror)
        return self.log.compact(adopt=read.orphans(), min_files=1)


def _sm2(s: Schedule) -> tuple[int, int, int]:
    return s.repetitions, s.ef_hundredths, s.interval


class Engine:
    """Copies closed files between device folders in random order, as a sync engine would.

    Deletions (a device's compaction) spread too, and a deleted name is never brought back.
    """

    def __init__(self, devices: list[SimDevice], rng: random.Random) -> None:
        self.devices, self.rng = devices, rng
        self.deleted: set[str] = set()  # "devices/<id>/<name>" removed by their owner
        self.conflicts = 0
        #: Files written in place and not finished yet: an engine does not pass them on.
        self.incomplete: set[Path] = set()

    def _files(self, dev: SimDevice) -> dict[str, tuple[Path, int]]:
        """Closed files of a device's folder copy: relative name -> (path, size)."""
        out = {}
        root = dev.folder / "devices"
        for folder in sorted(os.scandir(root), key=lambda e: e.name) if root.exists() else []:
            for entry in sorted(os.scandir(folder.path), key=lambda e: e.name):
                if not entry.name.startswith((".", "~")) and not entry.name.endswith(".tmp"):
                    rel = f"devices/{folder.name}/{entry.name}"
                    out[rel] = (Path(entry.path), entry.stat().st_size)
        return out

    def note_deletions(self, dev: SimDevice, before: set[str]) -> None:
        """Record what ``dev`` deleted from its own folder since ``before`` was listed."""
        self.deleted |= before - set(self._files(dev))

    def step(self, batch: int = 1) -> bool:
        """Copy (or delete) up to ``batch`` files from one device to another; False when
        nothing is left to do."""
        rng = self.rng
        listing = {id(d): self._files(d) for d in self.devices}
        pairs = [(a, b) for a in self.devices for b in self.devices if a is not b]
        rng.shuffle(pairs)
        for src, dst in pairs:
            have, want = listing[id(dst)], listing[id(src)]
            gone = sorted(set(have) & self.deleted)
            if gone:
                for rel in rng.sample(gone, min(batch, len(gone))):
                    have[rel][0].unlink()
                return True
            todo = [
                rel for rel, (path, size) in want.items()
                if rel not in self.deleted and path not in self.incomplete
                and (rel not in have or have[rel][1] < size)
            ]  # fmt: skip
            if todo:
                for rel in rng.sample(todo, min(batch, len(todo))):
                    self._copy(want[rel][0], dst.folder, rng)
                return True
        return False

    def _copy(self, path: Path, dst_root: Path, rng: random.Random) -> None:
        rel = path.relative_to(path.parents[2])
        target = dst_root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        data = path.read_bytes()
        roll = rng.random()
        if roll < 0.15:  # a transfer in progress: Syncthing's temporary name, half the bytes
            tmp = target.parent / f".syncthing.{target.name}.tmp"
            tmp.write_bytes(data[: len(data) // 2])
            tmp = target.parent / f"~syncthing~{target.name}.tmp"
            tmp.write_bytes(data[: len(data) // 3])
            return
        if roll < 0.22:  # an engine that writes in place (git, some WebDAV): truncated for now
            target.write_bytes(data[: max(1, len(data) - 7)])
            self.incomplete.add(target)
            return
        tmp = target.parent / f".syncthing.{target.name}.tmp"
        tmp.write_bytes(data)
        os.replace(tmp, target)
        self.incomplete.discard(target)
        if roll > 0.9:  # a conflict copy beside it, named as one of the engines names them
            self.conflicts += 1
            stem, ext = target.name.split(".", 1)
            name = rng.choice(
                [
                    f"{stem}.sync-conflict-20260302-101010-ABCDEF{self.conflicts % 10}.{ext}",
                    f"{stem} (Laptop's conflicted copy 2026-03-02).{ext}",
                    f"{stem} (conflicted copy 2026-03-02 101010).{ext}",
                ]
            )
            shutil.copyfile(target, target.parent / name)

    def settle(self) -> None:
        """Run until every folder holds every live file, complete (the engines caught up)."""
        while self.step(batch=25):
            pass


def run_random(
    devices: list[SimDevice],
    engine: Engine,
    rng: random.Random,
    steps: int,
    *,
    on_step: Callable[[int], None] | None = None,
) -> None:
    """Random study on every device, syncs, engine copies and time passing."""
    for step in range(steps):
        dev = rng.choice(devices)
        roll = rng.random()
        if roll < 0.55:
            dev.answer(rng.choice(ITEMS), rng.choice([1, 2, 3, 4, 4, 5, 5]))
        elif roll < 0.62:
            dev.edit(rng.choice(ITEMS[:4]), front=f"front by {dev.device} at {step}")
        elif roll < 0.65:
            dev.suspend(rng.choice(ITEMS), rng.random() < 0.5)
        elif roll < 0.67:
            dev.toggle_deck("attention", rng.random() < 0.5)
        elif roll < 0.69:
            dev.setting("new_per_day", rng.randrange(5, 50))
        elif roll < 0.71:
            dev.drill("drill:two-sum", rng.choice(["passed", "failed"]))
        elif roll < 0.73:
            own = [e for e in dev.outbox if isinstance(e, Review)]
            if own:  # Ctrl+Z of the newest answer not yet written out
                dev.undo(own[-1])
        elif roll < 0.85:
            dev.sync()
        for _ in range(rng.randrange(0, 4)):
            engine.step()
        devices[0].world.advance(rng.randrange(1_000, 6 * 3_600_000))
        if on_step:
            on_step(step)


def converge(devices: list[SimDevice], engine: Engine) -> list[str]:
    """Let the engine catch up, sync everyone twice; returns each device's fingerprint."""
    for _ in range(2):
        engine.settle()
        for dev in devices:
            dev.sync()
    engine.settle()
    return [dev.sync().fingerprint() for dev in devices]
