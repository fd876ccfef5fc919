"""Per-device log files in the sync folder, written so a file-sync engine cannot break them.

Why this shape: Syncthing, Dropbox, Nextcloud, OneDrive and git copy whole files, at their own
pace, and never merge. So each device writes only under ``<sync>/devices/<device id>/``; a file
is written under a hidden temporary name, fsynced, renamed into place and never changed again,
so a half-copied file never has a final name, and two devices never write the same path. Each
file starts with a one-line JSON header (device, number, event range, SHA-256 of the body), so
a damaged or truncated copy is recognised, skipped and reported, never half-read.

Two kinds of file: a *segment* (``00000007.seg``: events as JSON lines) and a *snapshot*
(``00000007.snap``: the device's segments up to number 7 folded into compact columns, written by
that device's own compaction). Readers prefer a snapshot and skip the segments it covers.
Conflict copies made by the engines (``00000007.sync-conflict-20260102-101010-ABCDEF1.seg``,
``00000007 (Laptop's conflicted copy 2026-01-02).seg``) are read as data: their events carry
ids, so a copy adds nothing twice.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import secrets
import shutil
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Final

import numpy as np
import zstandard

from studyapp.core.sync.events import (
    FORMAT_VERSION,
    Event,
    EventFormatError,
    UnknownEventType,
    decode_event,
    encode_event,
    review_values,
    split_item_ref,
)
from studyapp.core.sync.eventset import NONE, REVIEW_COLUMNS, EventSet
from studyapp.core.sync.hlc import COUNTER_LIMIT

__all__ = [
    "DEVICE_ID",
    "DeviceLog",
    "FolderRead",
    "FolderReader",
    "Problem",
    "check_device_id",
    "device_dir",
    "new_device_id",
    "read_folder",
]

#: Device ids are folder names on every OS and every engine: letters, digits, '-' and '_'.
DEVICE_ID: Final = re.compile(r"[A-Za-z0-9_-]{4,64}")
_FORMAT: Final = "studyapp-sync"
_HEADER_LIMIT: Final = 4096
#: Final names: 8 digits, anything an engine adds for a conflict copy, then the extension.
_NAME: Final = re.compile(r"(?P<number>\d{8})(?P<copy>.*)\.(?P<ext>seg|snap)", re.DOTALL)
#: Partial or temporary files of the engines (and ours, which are hidden): never read.
_TEMP_SUFFIXES: Final = (".tmp", ".part", ".partial", ".crdownload", ".download", ".!sync")
#: Snapshot columns stored as differences from the previous row (small numbers compress well).
_DELTA: Final = ("n", "h", "a")


def new_device_id() -> str:
    """A random id for a device that has none yet (64 bits: collisions are not a concern)."""
    return secrets.token_hex(8)


def check_device_id(device: str) -> str:
    if not isinstance(device, str) or not DEVICE_ID.fullmatch(device):
        raise ValueError(f"device id must be 4-64 letters, digits, '-' or '_', got {device!r}")
    return device


def device_dir(sync_dir: Path, device: str) -> Path:
    """The only folder ``device`` ever writes to."""
    return Path(sync_dir) / "devices" / check_device_id(device)


@dataclass(frozen=True, slots=True)
class Problem:
    """A file that was skipped, and why (shown to the user; sync goes on without it)."""

    path: Path
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass(frozen=True, slots=True)
class _Header:
    kind: str  # 'segment' | 'snapshot'
    device: str
    number: int
    first_seq: int
    last_seq: int
    events: int
    body_bytes: int
    sha256: str


# ---------------------------------------------------------------- file format


def _write_file(folder: Path, name: str, header: _Header, body: bytes) -> Path:
    """Write a closed file: hidden temporary name, fsync, then into place without overwriting."""
    folder.mkdir(parents=True, exist_ok=True)
    final = folder / name
    tmp = folder / f".{name}.{secrets.token_hex(4)}.tmp"
    head = {"format": _FORMAT, "v": FORMAT_VERSION, **asdict(header)}
    with open(tmp, "xb") as fh:
        fh.write(json.dumps(head, separators=(",", ":")).encode() + b"\n" + body)
        fh.flush()
        os.fsync(fh.fileno())
    try:
        os.link(tmp, final)  # fails if the name exists: a closed file is never replaced
        tmp.unlink()
    except FileExistsError:
        tmp.unlink()
        raise
    except OSError:  # a file system without hard links (FAT): check, then rename
        if final.exists():
            tmp.unlink()
            raise FileExistsError(final) from None
        os.replace(tmp, final)
    _fsync_dir(folder)
    return final


def _fsync_dir(folder: Path) -> None:
    """Make the rename durable (POSIX); Windows cannot open a folder and does not need it."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


class _BadFile(Exception):
    """A file to skip; the message says why."""


def _read_header(raw: bytes) -> tuple[_Header, bytes]:
    end = raw.find(b"\n", 0, _HEADER_LIMIT)
    if end < 0:
        raise _BadFile("not a StudyApp sync file (no header line)")
    try:
        head = json.loads(raw[:end])
    except ValueError:
        raise _BadFile("damaged header") from None
    if not isinstance(head, dict) or head.get("format") != _FORMAT:
        raise _BadFile("not a StudyApp sync file")
    if type(head.get("v")) is not int or head["v"] > FORMAT_VERSION:
        raise _BadFile(f"written by a newer StudyApp (format {head.get('v')!r}); update to read it")
    try:
        header = _Header(**{name: head[name] for name in _Header.__slots__})
    except KeyError as exc:
        raise _BadFile(f"header lacks {exc.args[0]!r}") from None
    for name in _Header.__slots__:
        wanted = str if name in ("kind", "device", "sha256") else int
        if type(getattr(header, name)) is not wanted:
            raise _BadFile(f"header field {name!r} must be {wanted.__name__}")
    if header.kind not in ("segment", "snapshot"):
        raise _BadFile(f"unknown kind of file {header.kind!r}")
    body = raw[end + 1 :]
    if len(body) != header.body_bytes:
        raise _BadFile(f"truncated or padded: body is {len(body)} bytes, header says "
                       f"{header.body_bytes} (still being copied?)")  # fmt: skip
    if hashlib.sha256(body).hexdigest() != header.sha256:
        raise _BadFile("damaged: the body does not match its checksum")
    return header, body


def _header_for(kind: str, device: str, number: int, seqs: Sequence[int], body: bytes) -> _Header:
    return _Header(
        kind=kind,
        device=device,
        number=number,
        first_seq=min(seqs, default=0),
        last_seq=max(seqs, default=0),
        events=len(seqs),
        body_bytes=len(body),
        sha256=hashlib.sha256(body).hexdigest(),
    )


# ---------------------------------------------------------------- segment and snapshot bodies


def _segment_body(events: Sequence[Event], device: str) -> bytes:
    lines = (
        json.dumps(encode_event(e, with_device=e.device != device), separators=(",", ":"))
        for e in events
    )
    return zstandard.ZstdCompressor(level=6).compress("\n".join(lines).encode())


def _decode_segment(header: _Header, body: bytes, into: EventSet) -> int:
    """Add a segment's events; returns how many were of a type this version does not know."""
    text = _decompress(body)
    try:
        objs = json.loads(b"[" + text.replace(b"\n", b",") + b"]") if text else []
    except ValueError:
        raise _BadFile("damaged: the events are not JSON lines") from None
    if _bulk_reviews(objs, text, header, into):
        return 0
    events, unknown = [], 0
    first, last = header.first_seq, header.last_seq
    for line, obj in enumerate(objs, 1):
        values = review_values(obj) if type(obj) is dict else None
        if values is not None:  # the fast path for the bulk of a segment
            if not first <= values[0] <= last:
                raise _BadFile(f"event on line {line}: counter {values[0]} outside the header's "
                               "range")  # fmt: skip
            into.add_review_values(header.device, values)
            continue
        try:
            event = decode_event(obj, header.device)
        except UnknownEventType:
            unknown += 1
            continue
        except EventFormatError as exc:
            raise _BadFile(f"event on line {line}: {exc}") from None
        if event.device == header.device and not header.first_seq <= event.seq <= header.last_seq:
            raise _BadFile(f"event on line {line}: counter {event.seq} outside the header's range")
        events.append(event)
    into.add_all(events)
    return unknown


def _bulk_reviews(objs: list[Any], text: bytes, header: _Header, into: EventSet) -> bool:
    """Add a segment made only of plain reviews, checked column by column with numpy (the
    same checks as ``review_values``). False, with nothing added, when anything is unusual:
    the line-by-line path then decides, and names the problem."""
    if not objs or b"true" in text or b"false" in text:  # numpy would take a bool as an int
        return False
    try:
        if any(type(o) is not dict or o.get("t") != "review" or "d" in o for o in objs):
            return False
        hs, bs, fs = ([o[key] for o in objs] for key in ("h", "b", "f"))
        if {*map(len, hs)} != {2} or {*map(len, bs)} != {5} or {*map(len, fs)} != {5}:
            return False
        raw = {key: [o[key] for o in objs] for key in ("n", "a", "sd", "q", "s")}
        raw.update(h=[x[0] for x in hs], c=[x[1] for x in hs])
        for j in range(5):
            raw[f"b{j}"], raw[f"f{j}"] = [x[j] for x in bs], [x[j] for x in fs]
        kinds, items = [o["k"] for o in objs], [o["i"] for o in objs]
        names = sorted(set(items))
        if not set(kinds) <= {"review", "redrill"}:
            return False
    except (KeyError, TypeError):
        return False
    cols = _bulk_columns(raw)
    if cols is None or not all(type(i) is str and _item_ok(i) for i in names):
        return False
    if cols["n"].min() < header.first_seq or cols["n"].max() > header.last_seq:
        return False
    index = {name: k for k, name in enumerate(names)}
    cols["i"] = np.array([index[i] for i in items], dtype=np.int64)
    cols["k"] = (np.array(kinds) == "redrill").astype(np.int64)
    cols["dev"] = np.zeros(len(objs), dtype=np.int64)
    into.add_review_columns([header.device], names, cols)
    return True


def _bulk_columns(raw: dict[str, list[Any]]) -> dict[str, np.ndarray] | None:
    """Numeric review columns as arrays if every value is valid, else None."""
    out = {}
    for name, values in raw.items():
        nullable = name in ("b3", "b4", "f3", "f4")
        nones = values.count(None) if nullable else 0
        arr = np.array([NONE if v is None else v for v in values] if nones else values)
        if arr.dtype.kind not in ("if" if name == "s" else "i"):
            return None
        low = NONE if nullable else 0
        if arr.min() < low or (nullable and int((arr == NONE).sum()) != nones):
            return None
        out[name] = arr.astype(np.float64 if name == "s" else np.int64)
    if out["q"].max() > 5 or out["c"].max() >= COUNTER_LIMIT or not np.isfinite(out["s"]).all():
        return None
    return out


def _item_ok(ref: str) -> bool:
    try:
        split_item_ref(ref)
    except ValueError:
        return False
    return True


def _decompress(body: bytes) -> bytes:
    try:
        return zstandard.ZstdDecompressor().decompress(body, max_output_size=1 << 31)
    except zstandard.ZstdError:
        raise _BadFile("damaged: the body does not decompress") from None


def _snapshot_body(events: EventSet, device: str) -> tuple[bytes, list[int]]:
    """The snapshot of ``events``: reviews as columns, other events as objects."""
    arrays = events.review_arrays()
    cols: dict[str, Any] = {}
    for name in REVIEW_COLUMNS:
        col = arrays.columns[name]
        if name in _DELTA:
            col = np.diff(col, prepend=0)
        cols[name] = col.tolist()
    others = sorted(events.others.values(), key=lambda e: e.order)
    data = {
        "devices": list(arrays.devices),
        "items": list(arrays.items),
        "reviews": cols,
        "events": [encode_event(e, with_device=True) for e in others],
    }
    raw = json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()
    own = [e.seq for e in others if e.device == device]
    dev = arrays.columns["dev"]
    if device in arrays.devices:
        own += arrays.columns["n"][dev == arrays.devices.index(device)].tolist()
    return zstandard.ZstdCompressor(level=6).compress(raw), own


def _decode_snapshot(header: _Header, body: bytes, into: EventSet) -> int:
    """Add a snapshot's events (checked as a whole); returns how many types were unknown."""
    try:
        data = json.loads(_decompress(body))
        devices, items, cols = data["devices"], data["items"], data["reviews"]
        others = data["events"]
    except (ValueError, KeyError, TypeError):
        raise _BadFile("damaged: the snapshot is not the expected JSON") from None
    if not (isinstance(devices, list) and all(type(d) is str for d in devices)):
        raise _BadFile("snapshot: 'devices' must be a list of device ids")
    try:
        if not isinstance(items, list):
            raise TypeError("not a list")
        for ref in items:
            split_item_ref(ref)
    except (ValueError, TypeError):
        raise _BadFile("snapshot: 'items' must be item references") from None
    arrays = _snapshot_columns(cols, len(devices), len(items))
    unknown = 0
    decoded = []
    for k, obj in enumerate(others if isinstance(others, list) else [None], 1):
        try:
            decoded.append(decode_event(obj, header.device))
        except UnknownEventType:
            unknown += 1
        except EventFormatError as exc:
            raise _BadFile(f"snapshot event {k}: {exc}") from None
    into.add_review_columns(devices, items, arrays)
    into.add_all(decoded)
    return unknown


def _snapshot_columns(cols: Any, devices: int, items: int) -> dict[str, np.ndarray]:
    """The review columns as arrays, every value checked, differences summed back."""
    if not isinstance(cols, dict) or set(cols) != set(REVIEW_COLUMNS):
        raise _BadFile("snapshot: 'reviews' must have exactly the review columns")
    out: dict[str, np.ndarray] = {}
    for name in REVIEW_COLUMNS:
        arr = np.asarray(cols[name])
        wanted = "if" if name == "s" else "i"
        if arr.ndim != 1 or (len(arr) and arr.dtype.kind not in wanted):
            raise _BadFile(f"snapshot: column {name!r} must hold numbers")
        arr = arr.astype(np.float64 if name == "s" else np.int64)
        out[name] = np.cumsum(arr) if name in _DELTA else arr
    if len({len(a) for a in out.values()}) > 1:
        raise _BadFile("snapshot: the review columns differ in length")
    limits = {"dev": (0, devices - 1), "i": (0, items - 1), "q": (0, 5), "k": (0, 1),
              "c": (0, (1 << 16) - 1)}  # fmt: skip
    for name, arr in out.items():
        low, high = limits.get(name, (NONE if name in ("b3", "b4", "f3", "f4") else 0, None))
        if len(arr) and (arr.min() < low or (high is not None and arr.max() > high)):
            raise _BadFile(f"snapshot: column {name!r} holds a value out of range")
    return out


# ---------------------------------------------------------------- writing (own folder only)


class DeviceLog:
    """The files of one device, written by that device alone."""

    def __init__(self, sync_dir: Path, device: str) -> None:
        self.device = check_device_id(device)
        self.folder = device_dir(sync_dir, device)
        #: (newest file number, newest counter), known after the first look at the folder.
        self._last: tuple[int, int] | None = None

    def _own_files(self) -> list[tuple[Path, _Header | None]]:
        out: list[tuple[Path, _Header | None]] = []
        for path in _listed(self.folder):
            try:
                out.append((path, _read_header(path.read_bytes())[0]))
            except (_BadFile, OSError):
                out.append((path, None))
        return out

    def file_count(self) -> int:
        """Closed files in this device's folder (segments, snapshots, conflict copies)."""
        return len(_listed(self.folder))

    def last_written(self) -> tuple[int, int]:
        """(newest file number, newest event counter) in this device's folder; (0, 0) if empty.

        A damaged file's number still counts (from its name): a number is never used twice.
        """
        if self._last is None:
            number = seq = 0
            for path in _listed(self.folder):
                number = max(number, int(path.name[:8]))
                with contextlib.suppress(OSError, ValueError, TypeError, AttributeError):
                    with open(path, "rb") as fh:  # the header line is enough here
                        head = json.loads(fh.readline(_HEADER_LIMIT))
                    if head.get("device") == self.device:
                        seq = max(seq, int(head["last_seq"]))
            self._last = (number, seq)
        return self._last

    def write_segment(self, events: Sequence[Event]) -> Path | None:
        """Close a new segment holding ``events`` (this device's, counters ascending and newer
        than any already written); returns its path, or None when there is nothing to write."""
        if not events:
            return None
        number, last_seq = self.last_written()
        seqs = [e.seq for e in events]
        if any(e.device != self.device for e in events):
            raise ValueError(f"a segment of {self.device} may hold only its own events")
        if seqs != sorted(set(seqs)) or seqs[0] <= last_seq:
            raise ValueError(f"event counters must ascend past {last_seq}, got {seqs[0]}..")
        body = _segment_body(events, self.device)
        header = _header_for("segment", self.device, number + 1, seqs, body)
        path = _write_file(self.folder, f"{number + 1:08d}.seg", header, body)
        self._last = (number + 1, seqs[-1])
        return path

    def compact(self, *, adopt: EventSet | None = None, min_files: int = 2) -> Path | None:
        """Fold this device's files into one snapshot, then delete the folded files.

        ``adopt`` adds events of devices whose folders are gone (``FolderRead.orphans()``: a
        removed device), so a device joining later still gets them. Files of other devices are
        never touched; a damaged own file is left where it is. Returns the snapshot, or None if
        there was too little to fold.
        """
        good = [(p, h) for p, h in self._own_files() if h and h.device == self.device]
        if len(good) < min_files:
            return None
        events = EventSet()
        for path, header in good:
            _, body = _read_header(path.read_bytes())
            (_decode_snapshot if header.kind == "snapshot" else _decode_segment)(
                header, body, events
            )
        if adopt is not None:
            events.update(adopt)
        body, own = _snapshot_body(events, self.device)
        number = max(h.number for _, h in good)
        header = _header_for("snapshot", self.device, number, own, body)
        snapshot = self.folder / f"{number:08d}.snap"
        if snapshot.exists():  # a snapshot of the same number: write the next number's
            return None
        written = _write_file(self.folder, snapshot.name, header, body)
        self._last = None  # numbers and counters are unchanged, but look again to be sure
        for path, _ in good:
            path.unlink()
        _fsync_dir(self.folder)
        return written


# ---------------------------------------------------------------- reading (every device)


@dataclass
class FolderRead:
    """What a read of the sync folder found."""

    events: EventSet = field(default_factory=EventSet)
    problems: list[Problem] = field(default_factory=list)
    #: Files decoded (a copy already decoded under another name is not counted twice).
    files_read: int = 0
    #: Device folders present in the sync folder (a device missing here may have been removed).
    devices: set[str] = field(default_factory=set)
    #: Events of a type this version does not know (from a newer StudyApp), skipped.
    unknown_events: int = 0

    def orphans(self) -> EventSet:
        """Events known only from the mirror, of devices whose folder is gone from the sync
        folder (a removed device): what this device should adopt when it compacts."""
        gone = set(self.events.devices) | {e.device for e in self.events.others.values()}
        return self.events.of_devices(gone - self.devices)


def _listed(folder: Path) -> list[Path]:
    """The closed files of a device folder, conflict copies included, temporary files not."""
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return []
    out = []
    for name in names:
        if name.startswith((".", "~")) or name.lower().endswith(_TEMP_SUFFIXES):
            continue  # Syncthing .syncthing.*.tmp / ~syncthing~*.tmp, Nextcloud .~*, ours
        if _NAME.fullmatch(name):
            out.append(folder / name)
    return out


def _canonical(path: Path, ext: str) -> int | None:
    """The number of a file under its own name (not a conflict copy) with extension ``ext``."""
    return int(path.name[:8]) if path.name[8:] == ext else None


def read_folder(sync_dir: Path, *, mirror: Path | None = None) -> FolderRead:
    """Every event in the sync folder (and in ``mirror``, a local copy of every good file seen
    before, which keeps events whose files were compacted away or deleted). Never raises for a
    bad file: it is skipped and listed in ``problems``. Never writes into the sync folder."""
    return FolderReader(sync_dir, mirror=mirror).read()


class FolderReader:
    """Reads the sync folder again and again, decoding only files it has not read before.

    Keep one per open collection: the periodic sync then costs a directory listing plus the
    new files, not the whole history. ``events`` grows with every read.
    """

    def __init__(self, sync_dir: Path, *, mirror: Path | None = None) -> None:
        self.root = Path(sync_dir) / "devices"
        self.mirror = mirror
        self.events = EventSet()
        self.unknown_events = 0
        self._done: dict[Path, tuple[int, int]] = {}  # path -> (size, mtime) already read
        self._progress: Callable[[int, int], None] | None = None
        self._done_bytes = self._total_bytes = 0
        self._digests: set[str] = set()

    def read(self, progress: Callable[[int, int], None] | None = None) -> FolderRead:
        """Take in new files; the result's ``problems``/``files_read`` are this read's.

        ``progress(done, total)`` is called in bytes of files to look at, after each file (a
        device joining with years of history shows a progress bar from it).
        """
        result = FolderRead(events=self.events)
        result.devices = {d.name for d in _device_dirs(self.root)}
        bases = [(self.mirror, None)] if self.mirror else []
        plan = [(f, keep) for base, keep in [*bases, (self.root, self.mirror)]
                for f in _device_dirs(base)]  # fmt: skip
        self._progress, self._done_bytes = progress, 0
        self._total_bytes = sum(_size(p) for folder, _ in plan for p in _listed(folder))
        for folder, keep in plan:
            self._read_device(folder, result, keep)
        result.unknown_events = self.unknown_events
        return result

    def _read_device(self, folder: Path, result: FolderRead, keep: Path | None) -> None:
        """Newest good snapshot first; segments it covers are skipped (conflict copies never
        are: they may hold what the snapshot does not)."""
        files = _listed(folder)
        snaps = sorted((p for p in files if _canonical(p, ".snap")), reverse=True)
        covered = 0
        for path in snaps:
            if self._read_one(path, folder.name, result, keep):
                covered = max(covered, int(path.name[:8]))
        for path in files:
            number = _canonical(path, ".seg")
            if path not in snaps and not (number is not None and number <= covered):
                self._read_one(path, folder.name, result, keep)

    def _read_one(self, path: Path, device: str, result: FolderRead, keep: Path | None) -> bool:
        """Take in one file unless already done; False (and a problem) if it is bad."""
        try:
            return self._take(path, device, result, keep)
        finally:
            if self._progress is not None:
                self._done_bytes += _size(path)
                self._progress(min(self._done_bytes, self._total_bytes), self._total_bytes)

    def _take(self, path: Path, device: str, result: FolderRead, keep: Path | None) -> bool:
        try:
            st = path.stat()
            if self._done.get(path) == (st.st_size, st.st_mtime_ns):
                return True
            header, body = _read_header(path.read_bytes())
            if header.device != device:
                raise _BadFile(f"belongs to device {header.device!r}, not to this folder's "
                               f"{device!r}")  # fmt: skip
            if header.sha256 not in self._digests:
                decode = _decode_snapshot if header.kind == "snapshot" else _decode_segment
                scratch = EventSet()  # decode fully first: a file counts whole or not at all
                self.unknown_events += decode(header, body, scratch)
                self.events.update(scratch)
                self._digests.add(header.sha256)
                result.files_read += 1
            if keep is not None:
                _keep_copy(path, keep / device)
        except _BadFile as exc:
            result.problems.append(Problem(path, str(exc)))
            return False
        except OSError as exc:
            result.problems.append(Problem(path, f"cannot be read: {exc.strerror or exc}"))
            return False
        self._done[path] = (st.st_size, st.st_mtime_ns)
        return True


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _device_dirs(root: Path) -> list[Path]:
    try:
        entries = sorted(root.iterdir())
    except OSError:
        return []
    return [p for p in entries if p.is_dir() and DEVICE_ID.fullmatch(p.name)]


def _keep_copy(path: Path, folder: Path) -> None:
    """Copy a good file into the local mirror (same name, written the same careful way)."""
    target = folder / path.name
    if target.exists():
        return
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".{path.name}.{secrets.token_hex(4)}.tmp"
    shutil.copyfile(path, tmp)
    os.replace(tmp, target)
