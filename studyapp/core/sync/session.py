"""One sync round of one device: send its new events, take in everyone's, replay.

Why a session object: the collection keeps one per open sync folder, so the hybrid clock, the
device's file numbering and the folder reader's memory of files already read survive between
the rounds that run every few minutes; a round then costs a directory listing plus what is new.
It touches no SQLite: the caller passes the events recorded since the last round (its outbox)
and applies the replayed state it gets back in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from studyapp.core.sync.events import Event
from studyapp.core.sync.eventset import EventSet
from studyapp.core.sync.hlc import HybridClock, Stamp, wall_ms
from studyapp.core.sync.replay import ReplayResult, replay
from studyapp.core.sync.segments import DeviceLog, FolderReader, Problem

__all__ = ["COMPACT_AFTER", "DeviceIdClashError", "SyncOutcome", "SyncSession"]

#: A device folds its own files into a snapshot once it has this many.
COMPACT_AFTER: Final = 64


class DeviceIdClashError(RuntimeError):
    """The folder holds events of this device id that this collection never made."""


@dataclass(frozen=True)
class SyncOutcome:
    """What one round did (for ``studyapp sync`` to print and the window to show)."""

    #: The segment written this round, and how many events it holds.
    written: Path | None
    sent: int
    #: Files taken in this round (0 when nothing new arrived), and files skipped, with why.
    files_read: int
    problems: list[Problem]
    #: The state to apply to the collection.
    result: ReplayResult
    #: The snapshot this device's own files were folded into, if it compacted this round.
    compacted: Path | None
    #: Persist with the collection: the clock resumes after it on the next start.
    last_stamp: Stamp


class SyncSession:
    """The sync of one device with one folder, kept while the collection is open."""

    def __init__(
        self,
        folder: Path,
        device: str,
        *,
        mirror: Path,
        last_stamp: Stamp | None = None,
        wall: Callable[[], int] = wall_ms,
        compact_after: int = COMPACT_AFTER,
    ) -> None:
        self.log = DeviceLog(folder, device)
        self.reader = FolderReader(folder, mirror=mirror)
        self.clock = HybridClock(device, wall=wall, last=last_stamp)
        self.compact_after = compact_after

    @property
    def device(self) -> str:
        return self.log.device

    def stamp(self) -> Stamp:
        """The stamp for a new event (an answer, an edit) made on this device now."""
        return self.clock.now()

    def run(
        self,
        outbox: Sequence[Event],
        *,
        local_seq: int,
        progress: Callable[[int, int], None] | None = None,
    ) -> SyncOutcome:
        """Write ``outbox`` (this device's events not yet sent), read every device's files and
        replay them all. ``local_seq`` is the newest counter this collection has used;
        ``progress(done, total)`` follows the reading, in bytes.

        Events already in the folder (a crash after writing, before the outbox was cleared) are
        not written twice. Raises DeviceIdClashError when the folder holds events of this
        device newer than ``local_seq``: two computers share one device id (a copied data
        folder), and one of them must take a new id before either writes more.
        """
        _, last_seq = self.log.last_written()
        if last_seq > local_seq:
            raise DeviceIdClashError(
                f"{self.log.folder} holds events up to #{last_seq} but this collection has made "
                f"only {local_seq}: was its data folder copied from another computer? Give "
                "this one a new device id"
            )
        pending = [e for e in outbox if e.seq > last_seq]
        written = self.log.write_segment(pending)
        read = self.reader.read(progress)
        self._observe(read.events)
        compacted = None
        if self.log.file_count() >= self.compact_after:
            orphans = read.orphans()
            compacted = self.log.compact(adopt=orphans if len(orphans) else None)
        return SyncOutcome(
            written=written,
            sent=len(pending),
            files_read=read.files_read,
            problems=read.problems,
            result=replay(read.events),
            compacted=compacted,
            last_stamp=self.clock.last,
        )

    def _observe(self, events: EventSet) -> None:
        """Move the clock past every stamp seen, so what happens here next sorts later."""
        latest = events.latest_stamp()
        if latest is not None:
            self.clock.observe(latest)
