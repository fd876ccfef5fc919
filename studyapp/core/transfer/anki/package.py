"""Read an Anki package (``.apkg``/``.colpkg``) into an :class:`ImportPackage`.

Why a reader of our own: Anki is AGPL and heavy; its package is a zip holding an SQLite
collection and media, which the standard library can read. The formats, from Anki's public
documentation and the files themselves:

- ``collection.anki21b``: zstd-compressed SQLite, schema 18 (note types, fields, templates and
  decks in tables of their own, with protobuf ``config`` columns). Current Anki also writes a
  stub ``collection.anki2`` beside it that only says "please update", so the newest collection
  in the zip wins: anki21b, then ``collection.anki21``, then ``collection.anki2``.
- ``collection.anki21`` / ``collection.anki2``: plain SQLite, schema 11 (note types and decks as
  JSON in the ``col`` row).
- ``media``: JSON ``{"0": "name.png"}``, or in the newest format zstd-compressed protobuf
  entries (the member holding entry *i* is named ``"i"`` and is itself zstd-compressed).

Everything is read into memory or a private temporary folder that is removed afterwards; the
zip is checked (paths, sizes, compression ratio) before anything is extracted, and zstd output
is capped. The scheduling mapping is documented in ``docs/anki-import.md``.
"""

from __future__ import annotations

import io
import json
import re
import sqlite3
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any, Final, cast
from urllib.parse import unquote

from studyapp.core.errors import Cancel, Progress
from studyapp.core.transfer.anki.html import html_to_markdown
from studyapp.core.transfer.anki.templates import (
    FRONT_SIDE,
    CardContext,
    Template,
    TemplateError,
    cloze_numbers,
    has_content,
    parse_template,
)
from studyapp.core.transfer.import_model import (
    ImportedCard,
    ImportedDeck,
    ImportedMedia,
    ImportedReview,
    ImportedSchedule,
    ImportFailed,
    ImportPackage,
)

__all__ = ["MAX_TOTAL_BYTES", "anki_day", "map_review", "map_schedule", "read_anki_package"]

#: Nothing in a package may expand beyond this (a zip bomb would fill the disk or memory).
MAX_TOTAL_BYTES: Final = 2 * 1024**3
#: A member that expands more than this many times (and is big) is taken for a zip bomb.
MAX_RATIO: Final = 200
_RATIO_FROM_BYTES: Final = 1024**2
#: One media file larger than this is skipped: a card picture is never that big.
MAX_MEDIA_BYTES: Final = 100 * 1024**2
_ZSTD_MAGIC: Final = b"\x28\xb5\x2f\xfd"
_SQLITE_MAGIC: Final = b"SQLite format 3\x00"
_COLLECTIONS: Final = ("collection.anki21b", "collection.anki21", "collection.anki2")
_SCHEMA_LEGACY: Final = 11
_SCHEMA_CURRENT: Final = 18
#: Cancellation is checked and progress reported every this many cards.
_BATCH: Final = 200
_HR_ANSWER: Final = re.compile(r"<hr[^>]*\bid\s*=\s*[\"']?answer[\"']?[^>]*>", re.IGNORECASE)
_IMAGE_OCCLUSION: Final = re.compile(r"\{\{c\d+::image-occlusion:")
_CHUNK: Final = 1024**2
_DEFAULT_DECK: Final = 1


# -- protobuf, just the wire format ------------------------------------------------------------


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        if pos >= len(data) or shift > 63:
            raise ValueError("truncated varint")
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, pos
        shift += 7


def _fields(data: bytes) -> Iterator[tuple[int, int | bytes]]:
    """(field number, value) of a protobuf message: ints for varints, bytes otherwise."""
    pos = 0
    while pos < len(data):
        key, pos = _varint(data, pos)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = _varint(data, pos)
            yield number, value
        elif wire == 2:
            length, pos = _varint(data, pos)
            if pos + length > len(data):
                raise ValueError("truncated field")
            yield number, data[pos : pos + length]
            pos += length
        elif wire == 1:
            yield number, data[pos : pos + 8]
            pos += 8
        elif wire == 5:
            yield number, data[pos : pos + 4]
            pos += 4
        else:
            raise ValueError(f"unsupported protobuf wire type {wire}")


def _message(data: bytes) -> dict[int, list[int | bytes]]:
    found: dict[int, list[int | bytes]] = {}
    for number, value in _fields(data):
        found.setdefault(number, []).append(value)
    return found


def _pb_str(message: dict[int, list[int | bytes]], number: int) -> str:
    values = message.get(number)
    value = values[-1] if values else b""
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else ""


def _pb_int(message: dict[int, list[int | bytes]], number: int) -> int:
    values = message.get(number)
    value = values[-1] if values else 0
    return value if isinstance(value, int) else 0


# -- the zip ------------------------------------------------------------------------------------


def _check_zip(path: Path, archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    """Refuse unsafe or oversized members before anything is read; returns members by name."""
    members: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in archive.infolist():
        name = info.filename
        pure = PurePosixPath(name.replace("\\", "/"))
        if (
            not name
            or pure.is_absolute()
            or ".." in pure.parts
            or re.match(r"[A-Za-z]:", name)
            or "\x00" in name
        ):
            raise ImportFailed(f"{path}: refused: the zip holds an unsafe path {name!r}")
        total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise ImportFailed(
                f"{path}: refused: its contents would expand beyond "
                f"{MAX_TOTAL_BYTES // 1024**3} GiB"
            )
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > _RATIO_FROM_BYTES and ratio > MAX_RATIO:
            raise ImportFailed(
                f"{path}: refused: {name!r} would expand {ratio:.0f} times (a zip bomb?)"
            )
        members[name] = info
    return members


def _read_member(
    path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, *, zstd: bool = True
) -> bytes:
    """A member's bytes, decompressed when ``zstd`` allows and they are; at most ``limit``."""
    with archive.open(info) as stream:
        head = stream.read(4)
        if zstd and head == _ZSTD_MAGIC:
            return b"".join(_unzstd(path, info.filename, head, stream, limit))
        data = head + stream.read(limit + 1 - len(head))
    if len(data) > limit:
        raise ImportFailed(f"{path}: refused: {info.filename!r} is too large")
    return data


class _Prefixed(io.RawIOBase):
    """A stream with the bytes already read from its start put back in front."""

    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        if self._head:
            count = min(len(buffer), len(self._head))
            buffer[:count] = self._head[:count]
            self._head = self._head[count:]
            return count
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _unzstd(path: Path, name: str, head: bytes, stream: IO[bytes], limit: int) -> Iterator[bytes]:
    """Decompress zstd a chunk at a time, stopping as soon as the output passes ``limit``.

    A streaming reader hands out at most one chunk per read, so a small, highly compressed
    input can never make one huge allocation before the limit is checked.
    """
    import zstandard  # only packages in Anki's newest format need it

    # zstandard only calls read() on it; its stubs ask for typing.IO, which io.RawIOBase is not.
    source = cast(IO[bytes], _Prefixed(head, stream))
    reader = zstandard.ZstdDecompressor().stream_reader(source, read_across_frames=True)
    produced = 0
    try:
        while chunk := reader.read(_CHUNK):
            produced += len(chunk)
            if produced > limit:
                raise ImportFailed(
                    f"{path}: refused: {name!r} would expand beyond "
                    f"{limit // 1024**2} MiB (a zip bomb?)"
                )
            yield chunk
    except zstandard.ZstdError as exc:
        raise ImportFailed(f"{path}: {name!r} is damaged ({exc})") from exc
    finally:
        reader.close()


def _extract_collection(
    path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path
) -> None:
    """Write the collection database into the private temporary folder, capped in size."""
    written = 0
    with archive.open(info) as stream, target.open("wb") as out:
        head = stream.read(4)
        if head == _ZSTD_MAGIC:
            for chunk in _unzstd(path, info.filename, head, stream, MAX_TOTAL_BYTES):
                out.write(chunk)
            return
        out.write(head)
        while chunk := stream.read(_CHUNK):
            written += len(chunk)
            if written > MAX_TOTAL_BYTES:
                raise ImportFailed(f"{path}: refused: the collection is too large")
            out.write(chunk)


# -- time ---------------------------------------------------------------------------------------


def anki_day(
    crt: int,
    now_s: float,
    *,
    rollover: int = 4,
    creation_offset: int | None = None,
    local_offset: int | None = None,
) -> int:
    """Anki's day number ("today") at ``now_s``: whole days since the collection was created.

    A day starts at the ``rollover`` hour. Offsets are in minutes west of UTC, as Anki stores
    them; without a creation offset (very old collections) ``crt`` already marks a day start.
    """
    if creation_offset is None:
        return int((now_s - crt) // 86_400)
    current = creation_offset if local_offset is None else local_offset
    shift = rollover * 3600
    created = (crt - creation_offset * 60 - shift) // 86_400
    today = (now_s - current * 60 - shift) // 86_400
    return int(today - created)


# -- scheduling ---------------------------------------------------------------------------------

#: Anki's answer buttons Again/Hard/Good/Easy onto SM-2 qualities (see docs/anki-import.md).
_QUALITY: Final = {1: 1, 2: 3, 3: 4, 4: 5}
_EF_DEFAULT: Final = 250
_EF_MIN: Final = 130
_EPOCH_SECONDS: Final = 1_000_000_000  # a "due" above this is a timestamp, not a day number


def _ef(factor: int) -> int:
    return max(_EF_MIN, factor // 10) if factor > 0 else _EF_DEFAULT


@dataclass(frozen=True, slots=True)
class _AnkiCard:
    """The scheduling columns of one row of Anki's ``cards`` table."""

    type: int
    queue: int
    due: int
    ivl: int
    factor: int
    lapses: int


def map_schedule(
    card: _AnkiCard, today: int, day_of: Callable[[int], int], streak: int = 0
) -> ImportedSchedule:
    """Anki's card state onto SM-2's (the reasons are in docs/anki-import.md).

    ``today`` is Anki's day number at import time, ``day_of`` gives the day number of an epoch
    second, ``streak`` counts the passing reviews since the last failure.
    """
    suspended = card.queue == -1
    if card.type == 0:  # new
        return ImportedSchedule(ef_hundredths=_ef(card.factor), suspended=suspended)
    if card.due > _EPOCH_SECONDS:  # (re)learning step: a timestamp, due within minutes
        due_in_days = max(0, day_of(card.due) - today)
    else:
        due_in_days = card.due - today
    # review: SM-2 then grows the interval by EF, as Anki does. (Anki 2.0's scheduler kept a
    # lapsed card as type 2 in the learning queue 1: that one is relearning.)
    if card.type == 2 and card.queue != 1:
        return ImportedSchedule(
            repetitions=max(2, streak),
            ef_hundredths=_ef(card.factor),
            interval=max(1, card.ivl),
            due_in_days=due_in_days,
            suspended=suspended,
            lapses=card.lapses,
        )
    # learning (1) or relearning (3): SM-2's state after a failed recall
    return ImportedSchedule(
        repetitions=0,
        ef_hundredths=_ef(card.factor),
        interval=max(1, card.ivl),
        due_in_days=due_in_days,
        suspended=suspended,
        lapses=card.lapses,
    )


def map_review(row: tuple[int, int, int, int, int, int]) -> ImportedReview | None:
    """One ``revlog`` row (id, ease, ivl, factor, time, type) onto SM-2; None if not an answer.

    Rows of type 4 and 5 (manual rescheduling) and ease 0 are not answers and are left out.
    """
    review_id, ease, ivl, factor, taken_ms, kind = row
    if ease not in _QUALITY or kind not in (0, 1, 2, 3):
        return None
    return ImportedReview(
        reviewed_ms=review_id,
        quality=_QUALITY[ease],
        seconds=max(0, taken_ms) / 1000,
        interval_after=max(0, ivl),  # negative intervals are learning steps in seconds
        ef_after=_ef(factor),
    )


def _streak(rows: list[tuple[int, int, int, int, int, int]]) -> int:
    """Passing review answers since the last Again: SM-2's count of correct repetitions."""
    count = 0
    for _, ease, _, _, _, kind in rows:
        if ease == 1:
            count = 0
        elif ease in _QUALITY and kind in (1, 3):
            count += 1
    return count


# -- the collection -----------------------------------------------------------------------------


@dataclass(slots=True)
class _Notetype:
    name: str
    cloze: bool
    fields: list[str]
    templates: dict[int, tuple[str, str, str]]  # ord -> (name, question, answer)
    parsed: dict[int, tuple[Template, Template] | None] = field(default_factory=dict)


@dataclass(slots=True)
class _Deck:
    name: str
    description: str
    filtered: bool


@dataclass(slots=True)
class _Collection:
    schema: int
    crt: int
    config: dict[str, object]
    notetypes: dict[int, _Notetype]
    decks: dict[int, _Deck]


def _json(text: str | bytes, what: str) -> Any:
    """The parsed JSON (any JSON value: callers check the shape they need by using it)."""
    try:
        return json.loads(text)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{what} is not valid JSON") from exc


def _load_legacy(db: sqlite3.Connection, crt: int) -> _Collection:
    conf, models, decks = db.execute("SELECT conf, models, decks FROM col").fetchone()
    config = _json(conf or "{}", "col.conf")
    notetypes: dict[int, _Notetype] = {}
    for key, model in dict(_json(models, "col.models")).items():
        fields = [f["name"] for f in sorted(model["flds"], key=lambda f: f["ord"])]
        templates = {
            int(t["ord"]): (str(t.get("name", "")), t.get("qfmt", ""), t.get("afmt", ""))
            for t in model["tmpls"]
        }
        notetypes[int(key)] = _Notetype(model["name"], model.get("type") == 1, fields, templates)
    found: dict[int, _Deck] = {}
    for key, deck in dict(_json(decks, "col.decks")).items():
        found[int(key)] = _Deck(deck["name"], deck.get("desc") or "", bool(deck.get("dyn")))
    return _Collection(_SCHEMA_LEGACY, crt, dict(config), notetypes, found)


def _load_current(db: sqlite3.Connection, crt: int) -> _Collection:
    config: dict[str, object] = {}
    for key, value in db.execute("SELECT key, val FROM config"):
        try:
            config[key] = json.loads(value)
        except (ValueError, TypeError):
            continue
    notetypes: dict[int, _Notetype] = {}
    for ntid, name, blob in db.execute("SELECT id, name, config FROM notetypes"):
        kind = _pb_int(_message(blob), 1)  # Notetype.Config.kind: 0 normal, 1 cloze
        notetypes[ntid] = _Notetype(name, kind == 1, [], {})
    for ntid, _, name in db.execute("SELECT ntid, ord, name FROM fields ORDER BY ntid, ord"):
        if ntid in notetypes:
            notetypes[ntid].fields.append(name)
    for ntid, ord_, name, blob in db.execute("SELECT ntid, ord, name, config FROM templates"):
        if ntid in notetypes:
            message = _message(blob)  # Template.Config: 1 question format, 2 answer format
            notetypes[ntid].templates[ord_] = (name, _pb_str(message, 1), _pb_str(message, 2))
    decks: dict[int, _Deck] = {}
    for deck_id, name, kind in db.execute("SELECT id, name, kind FROM decks"):
        message = _message(kind)  # Deck.kind: 1 normal, 2 filtered
        normal = message.get(1)
        description = ""
        if normal and isinstance(normal[-1], bytes):
            description = _pb_str(_message(normal[-1]), 4)  # Deck.Normal.description
        decks[deck_id] = _Deck(name.replace("\x1f", "::"), description, 2 in message)
    return _Collection(_SCHEMA_CURRENT, crt, config, notetypes, decks)


def _open_collection(path: Path, db_path: Path) -> tuple[sqlite3.Connection, _Collection]:
    with db_path.open("rb") as handle:
        if handle.read(16) != _SQLITE_MAGIC:
            raise ImportFailed(f"{path}: the collection inside is not an SQLite database")
    # immutable: no locks, no journal files, nothing written next to the temporary copy
    db = sqlite3.connect(f"{db_path.as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
        if not {"col", "notes", "cards"} <= tables:
            raise ImportFailed(f"{path}: not an Anki collection (no col/notes/cards tables)")
        crt, schema = db.execute("SELECT crt, ver FROM col").fetchone()
        if schema == _SCHEMA_LEGACY:
            collection = _load_legacy(db, crt)
        elif schema == _SCHEMA_CURRENT:
            if not {"notetypes", "fields", "templates", "decks", "config"} <= tables:
                raise ImportFailed(f"{path}: schema 18 collection without its tables")
            collection = _load_current(db, crt)
        else:
            raise ImportFailed(
                f"{path}: unknown Anki collection schema {schema} (StudyApp reads 11 and 18); "
                "export it again from a current Anki"
            )
    except ImportFailed:
        db.close()
        raise
    except (sqlite3.Error, ValueError, KeyError, TypeError, AttributeError) as exc:
        db.close()
        raise ImportFailed(f"{path}: the Anki collection inside is damaged ({exc})") from exc
    return db, collection


def _day_counter(collection: _Collection) -> Callable[[float], int]:
    config = collection.config

    def number(key: str) -> int | None:
        value = config.get(key)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    rollover = number("rollover")
    rollover = rollover if rollover is not None and 0 <= rollover <= 23 else 4
    creation, local = number("creationOffset"), number("localOffset")

    def day_of(epoch_s: int | float) -> int:
        return anki_day(
            collection.crt,
            epoch_s,
            rollover=rollover,
            creation_offset=creation,
            local_offset=local,
        )

    return day_of


# -- media --------------------------------------------------------------------------------------


def _media_map(
    path: Path, archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo]
) -> dict[str, str]:
    """Media file name -> zip member name."""
    info = members.get("media")
    if info is None:
        return {}
    data = _read_member(path, archive, info, 64 * 1024**2)
    if not data.strip():
        return {}
    if data.lstrip()[:1] == b"{":
        try:
            legacy = json.loads(data)
            return {str(name): str(member) for member, name in dict(legacy).items()}
        except (ValueError, TypeError) as exc:
            raise ImportFailed(f"{path}: its media list is damaged ({exc})") from exc
    try:  # MediaEntries: repeated MediaEntry entries = 1 {name = 1; ...; legacy name = 255}
        found: dict[str, str] = {}
        for index, entry in enumerate(_message(data).get(1, [])):
            if not isinstance(entry, bytes):
                continue
            message = _message(entry)
            member = message.get(255)
            name = _pb_str(message, 1)
            found[name] = str(member[-1]) if member else str(index)
        return found
    except ValueError as exc:
        raise ImportFailed(f"{path}: its media list is damaged ({exc})") from exc


_UNSAFE_NAME: Final = re.compile(r"[/\\\x00-\x1f:]")


def _collect_media(
    path: Path,
    archive: zipfile.ZipFile,
    members: dict[str, zipfile.ZipInfo],
    wanted: dict[str, None],
    warnings: list[str],
) -> list[ImportedMedia]:
    names = _media_map(path, archive, members)
    # Only the newest format (the one with collection.anki21b) compresses each media file; in
    # older packages a file that happens to start like zstd is just a file.
    compressed = "collection.anki21b" in members
    media: list[ImportedMedia] = []
    for name in wanted:
        if not name or name.startswith(".") or _UNSAFE_NAME.search(name):
            warnings.append(f"picture {name!r} skipped: not a plain file name")
            continue
        member = members.get(names.get(name, names.get(unquote(name), "")))
        if member is None:
            warnings.append(f"picture {name!r} is used by a card but is not in the package")
            continue
        if member.file_size > MAX_MEDIA_BYTES:
            warnings.append(f"picture {name!r} skipped: larger than 100 MiB")
            continue
        data = _read_member(path, archive, member, MAX_MEDIA_BYTES, zstd=compressed)
        media.append(ImportedMedia(name, data))
    return media


# -- cards --------------------------------------------------------------------------------------


def _side(html_text: str, images: dict[str, None], warnings: set[str]) -> str:
    text = html_to_markdown(html_text)
    for name in text.images:
        images[name] = None
    warnings |= text.warnings
    return text.markdown


def _answer_part(answer_html: str) -> str:
    """What the answer adds: after ``<hr id=answer>``, or without the repeated question."""
    parts = _HR_ANSWER.split(answer_html, maxsplit=1)
    if len(parts) == 2:
        return parts[1].replace(FRONT_SIDE, "")
    return answer_html.replace(FRONT_SIDE, "")


def _templates(notetype: _Notetype, ord_: int, warnings: set[str]) -> tuple[Template, ...] | None:
    if ord_ not in notetype.parsed:
        source = notetype.templates.get(0 if notetype.cloze else ord_)
        if source is None:
            notetype.parsed[ord_] = None
        else:
            try:
                notetype.parsed[ord_] = (parse_template(source[1]), parse_template(source[2]))
            except TemplateError as exc:
                warnings.add(f"note type {notetype.name!r}: card template {ord_ + 1}: {exc}")
                notetype.parsed[ord_] = None
    return notetype.parsed[ord_]


@dataclass(slots=True)
class _Reader:
    path: Path
    collection: _Collection
    today: int
    day_of: Callable[[int], int]
    warnings: set[str] = field(default_factory=set)
    images: dict[str, None] = field(default_factory=dict)

    def card(
        self,
        note: tuple[str, int, str, str],
        row: tuple[int, ...],
        reviews: list[tuple[int, int, int, int, int, int]],
    ) -> ImportedCard | None:
        guid, ntid, tags, flds = note
        _, _, did, ord_, type_, queue, due, ivl, factor, lapses, odue, odid = row
        notetype = self.collection.notetypes.get(ntid)
        if notetype is None:
            raise ImportFailed(
                f"{self.path}: a note (guid {guid!r}) uses note type {ntid}, "
                "which is not in the package; the package is damaged"
            )
        values = flds.split("\x1f")
        fields = dict(zip(notetype.fields, values + [""] * len(notetype.fields), strict=False))
        if notetype.cloze and _IMAGE_OCCLUSION.search(flds):
            self.warnings.add("image occlusion notes are not supported and were skipped")
            return None
        templates = _templates(notetype, ord_, self.warnings)
        if templates is None:
            self.warnings.add(f"note type {notetype.name!r} has no template for some cards")
            return None
        home = odid or did
        deck = self.collection.decks.get(home)
        context = CardContext(
            fields,
            cloze_ord=ord_ + 1 if notetype.cloze else None,
            tags=tags,
            notetype=notetype.name,
            deck=deck.name if deck else "",
            card_name=notetype.templates.get(ord_, ("", "", ""))[0],
        )
        if notetype.cloze and ord_ + 1 not in cloze_numbers(
            "".join(fields.get(name, "") for name in notetype.fields)
        ):
            self.warnings.add("cloze cards whose deletion was removed from the note were skipped")
            return None
        question_html = templates[0].render(context)
        context.answer = True
        answer_html = _answer_part(templates[1].render(context))
        self.warnings |= context.warnings
        images: dict[str, None] = {}
        front = _side(question_html, images, self.warnings)
        if not has_content(question_html) or not front.strip():
            self.warnings.add("cards with an empty question were skipped")
            return None
        back = _side(answer_html, images, self.warnings)
        self.images.update(images)
        anki = _AnkiCard(type_, queue, odue if odid and odue else due, ivl, factor, lapses)
        mapped = [review for review in map(map_review, reviews) if review is not None]
        return ImportedCard(
            key=f"anki-{guid}-{ord_}",
            front=front,
            back=back,
            tags=tuple(tags.split()),
            schedule=map_schedule(anki, self.today, self.day_of, _streak(reviews)),
            reviews=tuple(mapped),
        )


def _read(
    path: Path,
    archive: zipfile.ZipFile,
    members: dict[str, zipfile.ZipInfo],
    today_ms: int,
    cancel: Cancel | None,
    progress: Progress | None,
) -> ImportPackage:
    name = next((n for n in _COLLECTIONS if n in members), None)
    if name is None:
        raise ImportFailed(
            f"{path}: not an Anki package (no collection.anki21b, collection.anki21 or "
            "collection.anki2 inside)"
        )
    package = ImportPackage(source=str(path))
    with tempfile.TemporaryDirectory(prefix="studyapp-anki-") as scratch:
        db_path = Path(scratch) / "collection.sqlite"
        _extract_collection(path, archive, members[name], db_path)
        db, collection = _open_collection(path, db_path)
        try:
            imported = _read_cards(path, db, collection, today_ms, cancel, progress, package)
        except ImportFailed:
            raise
        except (sqlite3.Error, ValueError, TypeError, AttributeError, KeyError) as exc:
            # a column of the wrong type, a NULL where Anki never writes one...
            raise ImportFailed(f"{path}: the Anki collection inside is damaged ({exc})") from exc
        finally:
            db.close()
    package.media = _collect_media(path, archive, members, imported.images, package.warnings)
    package.warnings[:0] = sorted(imported.warnings)
    return package


def _read_cards(
    path: Path,
    db: sqlite3.Connection,
    collection: _Collection,
    today_ms: int,
    cancel: Cancel | None,
    progress: Progress | None,
    package: ImportPackage,
) -> _Reader:
    day_of = _day_counter(collection)
    reader = _Reader(path, collection, day_of(today_ms / 1000), day_of)
    notes = {
        nid: (guid, mid, tags, flds)
        for nid, guid, mid, tags, flds in db.execute("SELECT id, guid, mid, tags, flds FROM notes")
    }
    history: dict[int, list[tuple[int, int, int, int, int, int]]] = {}
    for cid, *review in db.execute(
        "SELECT cid, id, ease, ivl, factor, time, type FROM revlog ORDER BY id"
    ):
        history.setdefault(cid, []).append(tuple(review))
    rows = db.execute(
        "SELECT id, nid, did, ord, type, queue, due, ivl, factor, lapses, odue, odid "
        "FROM cards ORDER BY did, due, nid, ord"
    ).fetchall()
    decks: dict[int, ImportedDeck] = {}
    orphans = 0
    for index, row in enumerate(rows):
        if index % _BATCH == 0:
            if cancel is not None and cancel():
                raise ImportFailed(f"{path}: import cancelled; nothing was changed")
            if progress is not None:
                progress(index, len(rows))
        note = notes.get(row[1])
        if note is None:
            orphans += 1
            continue
        card = reader.card(note, row, history.get(row[0], []))
        if card is None:
            continue
        home = row[11] or row[2]
        deck = decks.get(home)
        if deck is None:
            source = collection.decks.get(home) or _Deck(f"Anki deck {home}", "", False)
            description = html_to_markdown(source.description).markdown
            key, title = f"anki-{home}", source.name
            if home == _DEFAULT_DECK:
                # Every Anki collection has a "Default" deck 1: tell them apart by collection
                # (its creation stamp survives exports) and by the file it came in.
                key, title = f"anki-{home}-{collection.crt}", f"{title} ({path.stem})"
            deck = decks[home] = ImportedDeck(key, title, [], description)
        deck.cards.append(card)
    if progress is not None:
        progress(len(rows), len(rows))
    if orphans:
        reader.warnings.add(f"{orphans} card(s) without a note were skipped")
    for deck in decks.values():  # new cards first, in Anki's order (a "due" is a position)
        order = {id(card): index for index, card in enumerate(deck.cards)}
        deck.cards.sort(key=lambda card: (card.schedule.due_in_days is not None, order[id(card)]))
    package.decks = sorted(decks.values(), key=lambda deck: deck.title.casefold())
    return reader


def read_anki_package(
    path: Path,
    *,
    today_ms: int | None = None,
    cancel: Cancel | None = None,
    progress: Progress | None = None,
) -> ImportPackage:
    """Read an ``.apkg``/``.colpkg`` file; raises :class:`ImportFailed` naming the file.

    ``today_ms`` is the importing moment (default now): review due dates are made relative to
    it. ``cancel`` is polled and ``progress(done, total)`` called every few hundred cards.
    """
    path = Path(path)
    if today_ms is None:
        today_ms = int(time.time() * 1000)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ImportFailed(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    if size == 0:
        raise ImportFailed(f"{path}: the file is empty")
    if not zipfile.is_zipfile(path):
        raise ImportFailed(f"{path}: not an Anki package (not a zip file, or a cut-off one)")
    try:
        with zipfile.ZipFile(path) as archive:
            members = _check_zip(path, archive)
            return _read(path, archive, members, today_ms, cancel, progress)
    except ImportFailed:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as exc:
        raise ImportFailed(f"{path}: the zip file is damaged ({exc})") from exc
    except (RuntimeError, NotImplementedError) as exc:  # encrypted, or an unknown compression
        raise ImportFailed(f"{path}: the zip file cannot be read ({exc})") from exc
    except OSError as exc:
        raise ImportFailed(f"{path}: cannot be read ({exc.strerror or exc})") from exc
