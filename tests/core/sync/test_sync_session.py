"""A sync round as the collection will run it: send the outbox, take in the others, replay."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from studyapp.core.sync import (
    CardEdited,
    DeviceIdClashError,
    Review,
    Schedule,
    SyncSession,
)

T0 = 1_772_445_600_000
DAY = 86_400_000


def session(tmp_path: Path, device: str, wall: int = T0, **kw) -> SyncSession:
    return SyncSession(
        tmp_path / device / "sync", device, mirror=tmp_path / device / "mirror",
        wall=lambda: wall, **kw,
    )  # fmt: skip


def answer(s: SyncSession, seq: int, item: str = "card:k1", grade: int = 4) -> Review:
    stamp = s.stamp()
    return Review(s.device, seq, stamp.ms, stamp.counter, item, grade, stamp.ms, 739_700, 3.0,
                  "review", Schedule(), Schedule(1, 250, 1, 739_701, None))  # fmt: skip


def engine(src: Path, dst: Path) -> None:
    """Everything in one copy of the folder arrives in the other."""
    shutil.copytree(src / "sync" / "devices", dst / "sync" / "devices", dirs_exist_ok=True)


def test_a_round_sends_the_outbox_and_brings_in_the_other_device(tmp_path: Path) -> None:
    laptop, desktop = session(tmp_path, "laptop01"), session(tmp_path, "desktop1", T0 + 5)
    out = laptop.run([answer(laptop, 1), answer(laptop, 2, "card:k2")], local_seq=2)
    assert (out.sent, out.written.name, out.files_read) == (2, "00000001.seg", 1)
    engine(tmp_path / "laptop01", tmp_path / "desktop1")
    mine = answer(desktop, 1, "card:k2", grade=1)
    steps: list[tuple[int, int]] = []
    got = desktop.run([mine], local_seq=1, progress=lambda done, total: steps.append((done, total)))
    assert len(steps) == 2 and steps[-1][0] == steps[-1][1] > 0  # a step per file, to 100 %
    assert got.files_read == 2 and not got.problems
    assert set(got.result.items) == {"card:k1", "card:k2"}
    assert got.result.items["card:k2"].answers == 2
    assert desktop.run([], local_seq=1).files_read == 0  # nothing new: nothing read again
    assert got.last_stamp >= mine.stamp


def test_an_outbox_already_written_is_not_sent_twice(tmp_path: Path) -> None:
    laptop = session(tmp_path, "laptop01")
    outbox = [answer(laptop, 1), answer(laptop, 2)]
    laptop.run(outbox, local_seq=2)
    # The app stopped before clearing its outbox; a restart sends the same events again.
    again = session(tmp_path, "laptop01").run(outbox, local_seq=2)
    assert again.written is None and again.sent == 0
    assert len(again.result.review_log) == 2


def test_a_copied_data_folder_is_caught_before_it_writes(tmp_path: Path) -> None:
    laptop = session(tmp_path, "laptop01")
    laptop.run([answer(laptop, 1), answer(laptop, 2)], local_seq=2)
    clone = session(tmp_path, "laptop01")  # a second computer with the same device id
    with pytest.raises(DeviceIdClashError, match="copied from another computer"):
        clone.run([], local_seq=0)


def test_own_files_are_compacted_after_a_number_of_rounds(tmp_path: Path) -> None:
    laptop = session(tmp_path, "laptop01", compact_after=3)
    outs = [laptop.run([answer(laptop, k)], local_seq=k) for k in range(1, 4)]
    assert outs[2].compacted is not None and outs[1].compacted is None
    assert [p.name for p in laptop.log.folder.iterdir()] == ["00000003.snap"]
    later = laptop.run([answer(laptop, 4)], local_seq=4)
    assert later.written.name == "00000004.seg"
    assert later.result.items["card:k1"].answers == 4


def test_an_edit_after_reading_a_clock_ahead_device_wins(tmp_path: Path) -> None:
    ahead, behind = session(tmp_path, "desktop1", T0 + DAY), session(tmp_path, "laptop01")
    s = ahead.stamp()
    ahead.run([CardEdited("desktop1", 1, s.ms, s.counter, "card:k1", (("front", "A"),))],
              local_seq=1)  # fmt: skip
    engine(tmp_path / "desktop1", tmp_path / "laptop01")
    behind.run([], local_seq=0)  # reads the edit stamped a day ahead
    s = behind.stamp()
    edit = CardEdited("laptop01", 1, s.ms, s.counter, "card:k1", (("front", "B"),))
    assert behind.run([edit], local_seq=1).result.cards["card:k1"].fields["front"] == "B"
