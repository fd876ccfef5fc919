"""Segment files in a real folder: what the engines leave behind is ignored or merged, a damaged
file is skipped with its path named, and a device writes only its own folder."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from studyapp.core.sync import (
    DeviceLog,
    EventSet,
    FolderReader,
    Review,
    Schedule,
    SettingChanged,
    device_dir,
    read_folder,
    replay,
)

T0 = 1_772_445_600_000


def reviews(device: str, first: int, count: int, item: str = "card:k1") -> list[Review]:
    return [
        Review(device, seq, T0 + seq, 0, item, 4, T0 + seq, 739_700, 3.0, "review",
               Schedule(), Schedule(1, 250, 1, 739_701, None))
        for seq in range(first, first + count)
    ]  # fmt: skip


def ids(sync: Path, **kw: Path) -> list[tuple[str, int]]:
    read = read_folder(sync, **kw)
    return sorted((r.device, r.seq) for r in read.events.reviews())


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_segments_are_closed_files_numbered_in_order(tmp_path: Path) -> None:
    log = DeviceLog(tmp_path, "laptop01")
    first = log.write_segment(reviews("laptop01", 1, 3))
    second = log.write_segment(reviews("laptop01", 4, 2))
    assert log.write_segment([]) is None
    assert [first.name, second.name] == ["00000001.seg", "00000002.seg"]
    assert sorted(p.name for p in first.parent.iterdir()) == ["00000001.seg", "00000002.seg"]
    header = json.loads(first.read_bytes().split(b"\n", 1)[0])
    assert header["device"] == "laptop01" and (header["first_seq"], header["last_seq"]) == (1, 3)
    assert ids(tmp_path) == [("laptop01", n) for n in range(1, 6)]
    assert DeviceLog(tmp_path, "laptop01").last_written() == (2, 5)  # a restart sees the same


def test_writer_refuses_foreign_or_repeated_events(tmp_path: Path) -> None:
    log = DeviceLog(tmp_path, "laptop01")
    log.write_segment(reviews("laptop01", 1, 3))
    with pytest.raises(ValueError, match="only its own events"):
        log.write_segment(reviews("desktop1", 4, 1))
    with pytest.raises(ValueError, match="ascend past 3"):
        log.write_segment(reviews("laptop01", 3, 2))
    (log.folder / "00000002.seg").write_bytes(b"someone else's")  # never overwritten
    with pytest.raises(FileExistsError):
        log.write_segment(reviews("laptop01", 4, 1))
    assert (log.folder / "00000002.seg").read_bytes() == b"someone else's"
    # Looking again, the damaged file's number is skipped, never reused.
    assert DeviceLog(tmp_path, "laptop01").write_segment(reviews("laptop01", 4, 1)).name == (
        "00000003.seg"
    )
    assert not [p for p in log.folder.iterdir() if p.name.endswith(".tmp")]
    with pytest.raises(ValueError, match="device id"):
        DeviceLog(tmp_path, "../evil")


def test_temporary_files_are_ignored_and_conflict_copies_merged(tmp_path: Path) -> None:
    log = DeviceLog(tmp_path, "laptop01")
    seg = log.write_segment(reviews("laptop01", 1, 4))
    data = seg.read_bytes()
    folder = seg.parent
    for name in [  # what Syncthing, Nextcloud, Dropbox and browsers leave while copying
        ".syncthing.00000002.seg.tmp", "~syncthing~00000002.seg.tmp", ".~00000002.seg",
        "00000002.seg.part", "00000002.seg.tmp", ".00000002.seg.1a2b.tmp", "desktop.ini",
    ]:  # fmt: skip
        (folder / name).write_bytes(data[:30])
    for name in [  # conflict copies: the same events again under the engines' names
        "00000001.sync-conflict-20260302-101010-ABCDEF1.seg",
        "00000001 (Laptop's conflicted copy 2026-03-02).seg",
        "00000001 (conflicted copy 2026-03-02 101010).seg",
        "00000001-DESKTOP-7H2K.seg",
    ]:
        (folder / name).write_bytes(data)
    read = read_folder(tmp_path)
    assert not read.problems
    assert ids(tmp_path) == [("laptop01", n) for n in range(1, 5)]
    assert len(replay(read.events).review_log) == 4  # each review once, not five times


def test_conflict_copy_with_different_events_adds_them(tmp_path: Path) -> None:
    """Two installs that once shared a data folder write the same name: both are kept."""
    a, b = tmp_path / "a", tmp_path / "b"
    DeviceLog(a, "laptop01").write_segment(reviews("laptop01", 1, 2))
    DeviceLog(b, "laptop01").write_segment(reviews("laptop01", 3, 2, item="card:k2"))
    copy = device_dir(a, "laptop01") / "00000001.sync-conflict-20260302-101010-ABCDEF1.seg"
    shutil.copyfile(device_dir(b, "laptop01") / "00000001.seg", copy)
    assert ids(a) == [("laptop01", n) for n in range(1, 5)]


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda b: b[:-5], "truncated or padded"),
        (lambda b: b[:-3] + bytes([b[-3] ^ 1]) + b[-2:], "does not match its checksum"),
        (lambda b: b"\x00" * len(b), "not a StudyApp sync file"),
        (lambda b: b"", "no header line"),
        (lambda b: b.replace(b'"v":1', b'"v":9', 1), "newer StudyApp"),
        (lambda b: b.replace(b'"device":"laptop01"', b'"device":"desktop1"', 1), "belongs to"),
    ],
)
def test_a_damaged_file_is_skipped_and_named(tmp_path: Path, damage, message: str) -> None:
    log = DeviceLog(tmp_path, "laptop01")
    bad = log.write_segment(reviews("laptop01", 1, 2))
    log.write_segment(reviews("laptop01", 3, 2))
    DeviceLog(tmp_path, "desktop1").write_segment(reviews("desktop1", 1, 1))
    bad.write_bytes(damage(bad.read_bytes()))
    read = read_folder(tmp_path)
    (problem,) = read.problems
    assert problem.path == bad and message in problem.message
    assert str(bad) in str(problem)
    assert ids(tmp_path) == [("desktop1", 1), ("laptop01", 3), ("laptop01", 4)]


def test_events_from_a_newer_version_are_skipped_not_fatal(tmp_path: Path) -> None:
    import zstandard

    log = DeviceLog(tmp_path, "laptop01")
    path = log.write_segment(reviews("laptop01", 1, 2))
    head, body = path.read_bytes().split(b"\n", 1)
    lines = zstandard.ZstdDecompressor().decompress(body) + b'\n{"t":"tag","n":2,"h":[1,0]}'
    body = zstandard.ZstdCompressor().compress(lines)
    import hashlib

    header = json.loads(head)
    header.update(body_bytes=len(body), sha256=hashlib.sha256(body).hexdigest())
    path.write_bytes(json.dumps(header).encode() + b"\n" + body)
    read = read_folder(tmp_path)
    assert read.unknown_events == 1 and not read.problems
    assert len(replay(read.events).review_log) == 2


def test_reading_never_writes_into_the_sync_folder(tmp_path: Path) -> None:
    sync = tmp_path / "sync"
    DeviceLog(sync, "laptop01").write_segment(reviews("laptop01", 1, 2))
    DeviceLog(sync, "desktop1").write_segment(reviews("desktop1", 1, 2))
    (device_dir(sync, "desktop1") / "00000002.seg").write_bytes(b"half")
    before = tree(sync)
    reader = FolderReader(sync, mirror=tmp_path / "mirror")
    reader.read(), reader.read()
    assert tree(sync) == before
    assert sorted(p.name for p in (tmp_path / "mirror").rglob("*.seg")) == ["00000001.seg"] * 2


def test_compaction_folds_only_own_files_and_readers_agree(tmp_path: Path) -> None:
    sync = tmp_path / "sync"
    laptop, desktop = DeviceLog(sync, "laptop01"), DeviceLog(sync, "desktop1")
    for k in range(4):
        laptop.write_segment(reviews("laptop01", 1 + 3 * k, 3, item=f"card:k{k}"))
    laptop.write_segment([SettingChanged("laptop01", 13, T0 + 99, 0, "new_per_day", 30)])
    desktop.write_segment(reviews("desktop1", 1, 2))
    theirs = tree(device_dir(sync, "desktop1"))
    old_segment = (laptop.folder / "00000002.seg").read_bytes()
    print_before = replay(read_folder(sync).events).fingerprint()

    snapshot = laptop.compact()
    assert snapshot is not None and snapshot.name == "00000005.snap"
    assert [p.name for p in laptop.folder.iterdir()] == ["00000005.snap"]
    assert tree(device_dir(sync, "desktop1")) == theirs
    assert replay(read_folder(sync).events).fingerprint() == print_before
    # A segment the snapshot covers, still travelling (its deletion not yet synced): not doubled.
    (laptop.folder / "00000002.seg").write_bytes(old_segment)
    assert replay(read_folder(sync).events).fingerprint() == print_before
    # Writing goes on after the snapshot's number and counters.
    assert laptop.write_segment(reviews("laptop01", 14, 1)).name == "00000006.seg"


def test_a_damaged_snapshot_falls_back_to_the_segments_still_there(tmp_path: Path) -> None:
    sync = tmp_path / "sync"
    log = DeviceLog(sync, "laptop01")
    for k in range(3):
        log.write_segment(reviews("laptop01", 1 + 2 * k, 2))
    kept = {p.name: p.read_bytes() for p in log.folder.iterdir()}
    snapshot = log.compact()
    for name, data in kept.items():
        (log.folder / name).write_bytes(data)
    snapshot.write_bytes(snapshot.read_bytes()[:-1])
    read = read_folder(sync)
    assert [p.path for p in read.problems] == [snapshot]
    assert ids(sync) == [("laptop01", n) for n in range(1, 7)]


def _rewrite(path: Path, edit) -> None:
    """Re-seal a segment after changing its event lines (as a buggy writer would)."""
    import hashlib

    import zstandard

    head, body = path.read_bytes().split(b"\n", 1)
    lines = [json.loads(x) for x in zstandard.ZstdDecompressor().decompress(body).split(b"\n")]
    edit(lines)
    body = zstandard.ZstdCompressor().compress(b"\n".join(json.dumps(x).encode() for x in lines))
    header = json.loads(head)
    header.update(body_bytes=len(body), sha256=hashlib.sha256(body).hexdigest())
    path.write_bytes(json.dumps(header).encode() + b"\n" + body)


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("q", 7, "field 'q'"),
        ("q", True, "field 'q'"),
        ("n", 1.0, "field 'n'"),
        ("b", [1, 250, 1, -1, None], "field 'b'"),
        ("s", -2, "field 's'"),
        ("i", "card:", "field 'i'"),
        ("h", [1, 70000], "field 'h'"),
        ("n", 9, "outside the header's range"),
    ],
)
def test_a_bad_review_line_rejects_its_file_with_line_and_field(
    tmp_path: Path, key: str, value, message: str
) -> None:
    path = DeviceLog(tmp_path, "laptop01").write_segment(reviews("laptop01", 1, 4))

    def edit(lines: list) -> None:
        lines[2][key] = value

    _rewrite(path, edit)
    (problem,) = read_folder(tmp_path).problems
    assert "event on line 3" in problem.message and message in problem.message


def test_bulk_and_line_by_line_reading_agree(tmp_path: Path) -> None:
    """A segment of reviews only is read column-wise; with another event in it, line by line."""
    pure, mixed = tmp_path / "pure", tmp_path / "mixed"
    events = reviews("laptop01", 1, 50) + reviews("laptop01", 51, 50, item="drill:two-sum")
    DeviceLog(pure, "laptop01").write_segment(events)
    DeviceLog(mixed, "laptop01").write_segment(events)
    one, two = read_folder(pure).events, read_folder(mixed).events
    assert replay(one).fingerprint() == replay(two).fingerprint()
    other = SettingChanged("laptop01", 101, T0, 0, "language", "ru")
    DeviceLog(mixed, "laptop01").write_segment([other])
    assert replay(read_folder(mixed).events).settings == {"language": "ru"}
    expected = EventSet()
    expected.add_all(events)
    assert replay(expected).fingerprint() == replay(one).fingerprint()


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d["reviews"]["q"].__setitem__(0, 9), "column 'q' holds a value out of range"),
        (lambda d: d["reviews"]["i"].__setitem__(0, 5), "column 'i' holds a value out of range"),
        (lambda d: d["reviews"]["b0"].__setitem__(0, -1), "column 'b0' holds a value out of"),
        (lambda d: d["reviews"]["n"].append(1), "differ in length"),
        (lambda d: d["reviews"]["s"].__setitem__(0, "x"), "column 's' must hold numbers"),
        (lambda d: d.__setitem__("items", ["k1"]), "'items' must be item references"),
        (lambda d: d["events"].append({"t": "deck", "n": 1}), "snapshot event 1"),
    ],
)
def test_a_resealed_snapshot_with_bad_columns_is_refused(tmp_path: Path, edit, message) -> None:
    import hashlib

    import zstandard

    log = DeviceLog(tmp_path, "laptop01")
    log.write_segment(reviews("laptop01", 1, 3))
    snapshot = log.compact(min_files=1)
    head, body = snapshot.read_bytes().split(b"\n", 1)
    data = json.loads(zstandard.ZstdDecompressor().decompress(body))
    edit(data)
    body = zstandard.ZstdCompressor().compress(json.dumps(data).encode())
    header = json.loads(head)
    header.update(body_bytes=len(body), sha256=hashlib.sha256(body).hexdigest())
    snapshot.write_bytes(json.dumps(header).encode() + b"\n" + body)
    (problem,) = read_folder(tmp_path).problems
    assert message in problem.message
