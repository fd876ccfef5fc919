"""The hybrid clock never runs backwards; events survive their JSON encoding exactly, and a bad
event is refused with a message naming the field."""

from __future__ import annotations

import json
from dataclasses import fields

import pytest

from studyapp.core.sync import events as ev
from studyapp.core.sync.events import (
    EVENT_TYPES,
    CardEdited,
    EventFormatError,
    Review,
    Schedule,
    UnknownEventType,
    decode_event,
    encode_event,
    item_ref,
    review_values,
    split_item_ref,
)
from studyapp.core.sync.hlc import COUNTER_LIMIT, HybridClock, Stamp

DAY = 86_400_000


def test_clock_jumping_back_a_day_never_reorders_own_stamps() -> None:
    wall = [10 * DAY]
    clock = HybridClock("laptop01", wall=lambda: wall[0])
    stamps = [clock.now()]
    wall[0] -= DAY  # the clock is set back a day
    stamps += [clock.now() for _ in range(3)]
    wall[0] += 2 * DAY
    stamps.append(clock.now())
    assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)
    assert stamps[-1].ms == 11 * DAY  # back on the wall clock once it passes the last stamp


def test_observing_a_remote_stamp_makes_the_next_local_one_later() -> None:
    clock = HybridClock("laptop01", wall=lambda: 1_000)
    remote = Stamp(1_000 + DAY, 7, "desktop1")  # a machine a day ahead
    clock.observe(remote)
    assert clock.now() > remote
    clock.observe(Stamp(5, 0, "old00001"))  # an old stamp changes nothing
    assert clock.now().ms == 1_000 + DAY


def test_clock_resumes_after_its_last_stamp_and_borrows_a_millisecond() -> None:
    last = Stamp(5_000, COUNTER_LIMIT - 1, "laptop01")
    clock = HybridClock("laptop01", wall=lambda: 10, last=last)
    assert clock.now() == Stamp(5_001, 0, "laptop01")
    assert Stamp(1, 2, "a").key < Stamp(1, 3, "a").key < Stamp(2, 0, "a").key
    with pytest.raises(ValueError, match="counter"):
        Stamp(1, COUNTER_LIMIT, "a")


def samples() -> list[ev.Event]:
    head = ("laptop01", 1, 1_772_445_600_000, 3)
    return [
        Review(*head, "card:attn-1", 4, 1_772_445_600_000, 739_700, 6.5, "review",
               Schedule(), Schedule(1, 250, 1, 739_701, None)),
        Review(*head, "card:attn-1", 2, 1_772_445_600_000, 739_700, 0, "redrill",
               Schedule(2, 236, 6, 739_706, 739_700), Schedule(2, 236, 6, 739_706, 739_700)),
        ev.ReviewUndone(*head, "desktop1", 41),
        CardEdited(*head, "card:attn-1", (("back", "Новый ответ\nстрока"), ("front", "Q?"))),
        ev.ItemSuspended(*head, "drill:two-sum", True),
        ev.ItemDeleted(*head, "card:x", False),
        ev.DeckEnabled(*head, "attention", False),
        ev.SettingChanged(*head, "new_per_day", 25),
        ev.DrillAttempted(*head, "drill:two-sum", 1_772_445_600_000, 739_700, "def f():\n  1",
                          "passed", "", 0.25, "cpu", 3, 3, "run"),
    ]  # fmt: skip


def test_every_event_type_round_trips_through_json_lines() -> None:
    events = samples()
    assert {type(e) for e in events} == set(EVENT_TYPES.values())
    for event in events:
        line = json.dumps(encode_event(event))
        assert "\n" not in line
        assert decode_event(json.loads(line), "laptop01") == event
        # Every field of the dataclass is in the encoding (nothing silently dropped).
        assert len(encode_event(event)) == 3 + len(fields(event)) - 4
    adopted = encode_event(events[0], with_device=True)
    assert decode_event(adopted, "someone9").device == "laptop01"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"q": 6}, "field 'q' must be an integer 0..5"),
        ({"q": True}, "field 'q'"),
        ({"i": "attn-1"}, "field 'i' must be \"card:<key>\""),
        ({"b": [1, 250, 1, "x", None]}, "field 'b'"),
        ({"h": [1, -1]}, "field 'h' must be [ms, counter]"),
        ({"s": float("nan")}, "field 's'"),
        ({"k": "cram"}, "field 'k' must be 'review' or 'redrill'"),
    ],
)
def test_bad_review_fields_are_named(change: dict, message: str) -> None:
    obj = {**encode_event(samples()[0]), **change}
    assert review_values(obj) is None  # the fast path leaves it to the full decoder
    with pytest.raises(EventFormatError, match=message.replace("[", r"\[").replace("]", r"\]")):
        decode_event(obj, "laptop01")


def test_fast_review_path_reads_what_the_full_decoder_reads() -> None:
    for review in samples()[:2]:
        values = review_values(json.loads(json.dumps(encode_event(review))))
        b, f = review.before.encode(), review.after.encode()
        assert values == (review.seq, review.ms, review.counter, review.item, review.grade,
                          review.answered_ms, review.study_day, review.seconds,
                          ["review", "redrill"].index(review.kind), *b, *f)  # fmt: skip
    assert review_values(encode_event(samples()[0], with_device=True)) is None
    assert review_values(encode_event(samples()[3])) is None


def test_missing_field_and_unknown_type() -> None:
    obj = encode_event(samples()[0])
    del obj["sd"]
    with pytest.raises(EventFormatError, match="field 'sd' is missing"):
        decode_event(obj, "laptop01")
    with pytest.raises(UnknownEventType):
        decode_event({"t": "tag", "n": 1, "h": [1, 0]}, "laptop01")
    newer = {**encode_event(samples()[4]), "reason": "leech"}  # a newer version's extra key
    assert decode_event(newer, "laptop01") == samples()[4]


def test_card_edits_only_name_card_fields() -> None:
    obj = {**encode_event(samples()[3]), "x": {"due_day": "1"}}
    with pytest.raises(EventFormatError, match="field 'x'"):
        decode_event(obj, "laptop01")


def test_item_refs() -> None:
    assert split_item_ref(item_ref("card", "a:b")) == ("card", "a:b")
    with pytest.raises(ValueError, match="card or drill"):
        item_ref("note", "x")


def test_public_names_are_exported_and_nothing_imports_qt() -> None:
    import importlib
    import subprocess
    import sys

    import studyapp.core.sync as sync

    for module in ("events", "eventset", "hlc", "replay", "segments", "session"):
        mod = importlib.import_module(f"studyapp.core.sync.{module}")
        assert all(hasattr(mod, name) for name in mod.__all__), module
    assert all(hasattr(sync, name) for name in sync.__all__)
    code = "import sys, studyapp.core.sync; print(sorted(m for m in sys.modules if 'PySide' in m))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
