"""What one device tells the others: immutable events, and their stable JSON encoding.

Why events rather than copies of rows: a file-sync engine can deliver files in any order, twice,
or as conflict copies, so a device must be able to rebuild the same state from whatever set of
events it has. Every event therefore carries its identity (the device that made it and that
device's counter, so copies are recognised) and a hybrid-clock stamp (so every device orders
events the same way). The encoding is plain JSON data, one object per line, with short keys
fixed by ``FORMAT_VERSION``: never pickle, which would run code found in a shared folder.

Items are named by ``item_ref(kind, key)`` ("card:<key>"), never by a local row id: row ids
differ between collections, deck keys and card keys do not.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Final

from studyapp.core.sync.hlc import COUNTER_LIMIT, Stamp

__all__ = [
    "CARD_FIELDS",
    "EVENT_TYPES",
    "FORMAT_VERSION",
    "CardEdited",
    "DeckEnabled",
    "DrillAttempted",
    "Event",
    "EventFormatError",
    "EventId",
    "ItemDeleted",
    "ItemSuspended",
    "Review",
    "ReviewUndone",
    "Schedule",
    "SettingChanged",
    "UnknownEventType",
    "decode_event",
    "encode_event",
    "item_ref",
    "review_values",
    "split_item_ref",
]

#: Version of the event encoding and of the segment files that hold it.
FORMAT_VERSION: Final = 1
#: The card texts an edit may set (the ``item`` columns of the same names).
CARD_FIELDS: Final = frozenset({"front", "back", "texts_json", "tags"})
_ITEM_KINDS: Final = frozenset({"card", "drill"})
_REVIEW_KINDS: Final = frozenset({"review", "redrill"})


class EventFormatError(ValueError):
    """An event that does not decode; the message names the field."""


class UnknownEventType(EventFormatError):
    """An event type this version does not know (written by a newer StudyApp)."""


def item_ref(kind: str, key: str) -> str:
    """The name of an item shared by all devices: ``"card:<key>"`` or ``"drill:<key>"``."""
    if kind not in _ITEM_KINDS or not key:
        raise ValueError(f"item kind must be card or drill with a key, got {kind!r}, {key!r}")
    return f"{kind}:{key}"


def split_item_ref(ref: str) -> tuple[str, str]:
    """(kind, key) of an :func:`item_ref`."""
    kind, _, key = ref.partition(":")
    if kind not in _ITEM_KINDS or not key:
        raise ValueError(f"not an item reference: {ref!r}")
    return kind, key


@dataclass(frozen=True, slots=True)
class EventId:
    """The device that made an event and its position in that device's own sequence (1, 2, …)."""

    device: str
    seq: int


@dataclass(frozen=True, slots=True)
class Schedule:
    """An item's schedule as the ``item`` table holds it; ``due_day`` None means new."""

    repetitions: int = 0
    ef_hundredths: int = 250
    interval: int = 0
    due_day: int | None = None
    redrill_day: int | None = None

    def encode(self) -> list[int | None]:
        return [self.repetitions, self.ef_hundredths, self.interval, self.due_day, self.redrill_day]


@dataclass(frozen=True, slots=True)
class Event:
    """Fields every event has. ``ms``/``counter`` are the hybrid-clock stamp (see ``hlc``)."""

    TYPE: ClassVar[str] = ""

    device: str
    seq: int
    ms: int
    counter: int

    @property
    def id(self) -> EventId:
        return EventId(self.device, self.seq)

    @property
    def stamp(self) -> Stamp:
        return Stamp(self.ms, self.counter, self.device)

    @property
    def order(self) -> tuple[int, int, str, int]:
        """The total order every device agrees on: stamp, then device, then its counter."""
        return (self.ms, self.counter, self.device, self.seq)


@dataclass(frozen=True, slots=True)
class Review(Event):
    """A graded answer. ``kind`` 'redrill' is a same-day re-drill, which leaves SM-2 alone.

    ``before``/``after`` are the schedule the answering device saw and wrote; the merged state is
    always the replay of every review, so these are kept as a record, not trusted as state.
    """

    TYPE: ClassVar[str] = "review"

    item: str
    grade: int
    answered_ms: int
    study_day: int
    seconds: float
    kind: str
    before: Schedule
    after: Schedule


@dataclass(frozen=True, slots=True)
class ReviewUndone(Event):
    """Ctrl+Z on a review already recorded: the review with this id no longer counts."""

    TYPE: ClassVar[str] = "undo"

    target_device: str
    target_seq: int


@dataclass(frozen=True, slots=True)
class CardEdited(Event):
    """New texts for some of a card's fields (``CARD_FIELDS``), as sorted (name, text) pairs."""

    TYPE: ClassVar[str] = "edit"

    item: str
    fields: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class ItemSuspended(Event):
    TYPE: ClassVar[str] = "suspend"

    item: str
    suspended: bool


@dataclass(frozen=True, slots=True)
class ItemDeleted(Event):
    TYPE: ClassVar[str] = "delete"

    item: str
    deleted: bool


@dataclass(frozen=True, slots=True)
class DeckEnabled(Event):
    TYPE: ClassVar[str] = "deck"

    deck: str
    enabled: bool


@dataclass(frozen=True, slots=True)
class SettingChanged(Event):
    """A setting that follows the user (which ones is the collection's choice)."""

    TYPE: ClassVar[str] = "setting"

    name: str
    value: str | int | float | bool | None


@dataclass(frozen=True, slots=True)
class DrillAttempted(Event):
    """One run of a drill (a ``drill_attempt`` row); ``runner`` is that row's ``device`` column."""

    TYPE: ClassVar[str] = "drill"

    item: str
    started_ms: int
    study_day: int
    code: str
    outcome: str
    message: str
    duration_s: float
    runner: str
    tests_passed: int
    tests_total: int
    kind: str


EVENT_TYPES: Final[dict[str, type[Event]]] = {
    cls.TYPE: cls
    for cls in (
        Review,
        ReviewUndone,
        CardEdited,
        ItemSuspended,
        ItemDeleted,
        DeckEnabled,
        SettingChanged,
        DrillAttempted,
    )
}

# ---------------------------------------------------------------- encoding
# Each field's JSON key and check; the keys are part of FORMAT_VERSION 1 and never change.


def _nat(v: Any) -> int:
    if type(v) is not int or v < 0:
        raise TypeError("an integer >= 0")
    return v


def _str(v: Any) -> str:
    if type(v) is not str:
        raise TypeError("a string")
    return v


def _bool(v: Any) -> bool:
    if type(v) is not bool:
        raise TypeError("true or false")
    return v


def _float(v: Any) -> float:
    if type(v) not in (int, float) or not math.isfinite(v) or v < 0:
        raise TypeError("a finite number >= 0")
    return float(v)


def _grade(v: Any) -> int:
    if type(v) is not int or not 0 <= v <= 5:
        raise TypeError("an integer 0..5")
    return v


def _item(v: Any) -> str:
    try:
        split_item_ref(v if type(v) is str else "")
    except ValueError:
        raise TypeError('"card:<key>" or "drill:<key>"') from None
    return v


def _review_kind(v: Any) -> str:
    if v not in _REVIEW_KINDS:
        raise TypeError("'review' or 'redrill'")
    return v


def _schedule(v: Any) -> Schedule:
    ok = type(v) is list and len(v) == 5 and all(type(x) is int and x >= 0 for x in v[:3])
    if not ok or any(x is not None and (type(x) is not int or x < 0) for x in v[3:]):
        raise TypeError("[repetitions, ef_hundredths, interval, due_day|null, redrill_day|null]")
    return Schedule(*v)


def _scalar(v: Any) -> str | int | float | bool | None:
    if v is not None and type(v) not in (str, int, float, bool):
        raise TypeError("a string, number, true/false or null")
    return v


def _pairs(v: Any) -> tuple[tuple[str, str], ...]:
    if type(v) is not dict or not v or not set(v) <= CARD_FIELDS:
        raise TypeError(f"an object with some of {sorted(CARD_FIELDS)}")
    return tuple(sorted((k, _str(t)) for k, t in v.items()))


_Spec = tuple[tuple[str, str, Callable[[Any], Any]], ...]
#: (attribute, JSON key, check) per event type, after the common device/seq/stamp.
_SPECS: Final[dict[type[Event], _Spec]] = {
    Review: (
        ("item", "i", _item),
        ("grade", "q", _grade),
        ("answered_ms", "a", _nat),
        ("study_day", "sd", _nat),
        ("seconds", "s", _float),
        ("kind", "k", _review_kind),
        ("before", "b", _schedule),
        ("after", "f", _schedule),
    ),
    ReviewUndone: (("target_device", "td", _str), ("target_seq", "tn", _nat)),
    CardEdited: (("item", "i", _item), ("fields", "x", _pairs)),
    ItemSuspended: (("item", "i", _item), ("suspended", "on", _bool)),
    ItemDeleted: (("item", "i", _item), ("deleted", "on", _bool)),
    DeckEnabled: (("deck", "dk", _str), ("enabled", "on", _bool)),
    SettingChanged: (("name", "nm", _str), ("value", "val", _scalar)),
    DrillAttempted: (
        ("item", "i", _item),
        ("started_ms", "a", _nat),
        ("study_day", "sd", _nat),
        ("code", "code", _str),
        ("outcome", "out", _str),
        ("message", "msg", _str),
        ("duration_s", "s", _float),
        ("runner", "run", _str),
        ("tests_passed", "tp", _nat),
        ("tests_total", "tt", _nat),
        ("kind", "k", _str),
    ),
}


def _to_json(value: Any) -> Any:
    if isinstance(value, Schedule):
        return value.encode()
    if isinstance(value, tuple):  # CardEdited.fields
        return dict(value)
    return value


def encode_event(event: Event, *, with_device: bool = False) -> dict[str, Any]:
    """The JSON object of one event. The device is left out (the file names it) unless asked."""
    out: dict[str, Any] = {"t": event.TYPE, "n": event.seq, "h": [event.ms, event.counter]}
    if with_device:
        out["d"] = event.device
    for attr, key, _ in _SPECS[type(event)]:
        out[key] = _to_json(getattr(event, attr))
    return out


def decode_event(obj: Mapping[str, Any], device: str) -> Event:
    """An event from its JSON object; ``device`` applies unless the object names another.

    Raises UnknownEventType for a type from a newer version, EventFormatError naming the field
    for anything else that is wrong. Keys this version does not know are ignored (a newer
    version may add some).
    """
    if not isinstance(obj, Mapping):
        raise EventFormatError("an event must be a JSON object")
    cls = EVENT_TYPES.get(obj.get("t"))  # type: ignore[arg-type]
    if cls is None:
        raise UnknownEventType(f"unknown event type {obj.get('t')!r}")
    values: dict[str, Any] = {}
    for attr, key, check in (
        ("device", "d", _str),
        ("seq", "n", _nat),
        *_SPECS[cls],
    ):
        if key not in obj and attr == "device":
            values[attr] = device
            continue
        try:
            values[attr] = check(obj[key])
        except KeyError:
            raise EventFormatError(f"{cls.TYPE} event: field {key!r} is missing") from None
        except TypeError as exc:
            raise EventFormatError(f"{cls.TYPE} event: field {key!r} must be {exc}") from None
    values["ms"], values["counter"] = _stamp(obj.get("h"), cls.TYPE)
    return cls(**values)


_KIND_INDEX: Final = {"review": 0, "redrill": 1}


def review_values(obj: Any) -> tuple[Any, ...] | None:
    """A plain review's values, checked as ``decode_event`` would but without building an
    event: (seq, ms, counter, item, grade, answered_ms, study_day, seconds, kind 0/1, before
    x5, after x5). None for anything else, which the caller decodes fully (and so gets the
    message naming what is wrong). Reading a million reviews is dominated by this function.
    """
    try:
        if obj.get("t") != "review" or "d" in obj:
            return None
        h, b, f, item, grade, seconds = obj["h"], obj["b"], obj["f"], obj["i"], obj["q"], obj["s"]
        ints = (obj["n"], obj["a"], obj["sd"], *h, *b[:3], *f[:3])
        days = (*b[3:], *f[3:])
        kind = _KIND_INDEX[obj["k"]]
    except (KeyError, TypeError, AttributeError):
        return None
    kind_of, _, key = item.partition(":") if type(item) is str else ("", "", "")
    if (
        len(h) != 2 or len(b) != 5 or len(f) != 5 or h[1] >= COUNTER_LIMIT
        or any(type(v) is not int or v < 0 for v in ints)
        or any(v is not None and (type(v) is not int or v < 0) for v in days)
        or type(grade) is not int or not 0 <= grade <= 5
        or type(seconds) not in (int, float) or not 0 <= seconds < math.inf
        or kind_of not in _ITEM_KINDS or not key
    ):  # fmt: skip
        return None
    return (ints[0], h[0], h[1], item, grade, ints[1], ints[2], float(seconds), kind,
            *b, *f)  # fmt: skip


def _stamp(value: Any, type_name: str) -> tuple[int, int]:
    ok = type(value) is list and len(value) == 2 and all(type(x) is int for x in value)
    if not ok or value[0] < 0 or not 0 <= value[1] < COUNTER_LIMIT:
        raise EventFormatError(f"{type_name} event: field 'h' must be [ms, counter]")
    return value[0], value[1]
