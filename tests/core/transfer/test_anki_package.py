"""Reading Anki packages: real exports from Anki 26.09, hand-built collections and bad files.

The real fixtures (``tests/fixtures/anki``) were made by ``make_fixtures.py`` through Anki's own
API; ``expected.json`` is what Anki itself reported about every card when it exported them.
"""

from __future__ import annotations

import json
import random
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import zstandard

from studyapp.core.rendering.render import LIGHT, Renderer
from studyapp.core.transfer.anki import package as anki_package
from studyapp.core.transfer.anki.html import html_to_markdown
from studyapp.core.transfer.anki.package import anki_day, read_anki_package
from studyapp.core.transfer.anki.templates import CardContext, parse_template, render_cloze
from studyapp.core.transfer.import_model import ImportedCard, ImportFailed, ImportPackage

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "anki"
EXPECTED = json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))
REAL_FILES = ("current.apkg", "legacy.apkg", "collection.colpkg")
QUALITY = {1: 1, 2: 3, 3: 4, 4: 5}


@pytest.fixture(autouse=True)
def private_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Every test checks that the reader leaves nothing behind in the temporary folder."""
    folder = tmp_path / "temp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    yield folder
    assert list(folder.iterdir()) == []


def read(name: str) -> ImportPackage:
    return read_anki_package(FIXTURES / name, today_ms=EXPECTED["today_ms"])


def cards_by_key(package: ImportPackage) -> dict[str, ImportedCard]:
    return {card.key: card for deck in package.decks for card in deck.cards}


def expected_card(label: str, ord_: int = 0) -> dict:
    return next(c for c in EXPECTED["notes"][label]["cards"] if c["ord"] == ord_)


# -- real packages from Anki ---------------------------------------------------------------------


@pytest.mark.parametrize("name", REAL_FILES)
def test_real_package_brings_every_card_into_its_deck(name: str) -> None:
    package = read(name)

    assert package.warnings == []
    expected = {
        card["key"]: (f"anki-{card['deck_id']}", card["deck"].replace("\x1f", "::"))
        for note in EXPECTED["notes"].values()
        for card in note["cards"]
    }
    found = {card.key: (deck.key, deck.title) for deck in package.decks for card in deck.cards}
    assert found == expected
    assert {deck.title for deck in package.decks} == {"Interview", "Interview::Maths", "Words"}


@pytest.mark.parametrize("name", REAL_FILES)
def test_real_package_maps_anki_scheduling_onto_sm2(name: str) -> None:
    cards = cards_by_key(read(name))

    for note in EXPECTED["notes"].values():
        for anki in note["cards"]:
            schedule = cards[anki["key"]].schedule
            assert schedule.due_in_days == anki["due_in_days"], anki["key"]
            assert schedule.suspended == (anki["queue"] == -1)
            assert schedule.lapses == anki["lapses"]
            if anki["type"] == 2:
                assert schedule.interval == anki["ivl"]
                assert schedule.ef_hundredths == anki["factor"] // 10
                assert schedule.repetitions >= 2  # the next interval is interval x EF
            elif anki["type"] == 0:
                assert (schedule.repetitions, schedule.interval) == (0, 0)
            else:  # (re)learning: SM-2's state after a failed recall, due today
                assert (schedule.repetitions, schedule.interval) == (0, max(1, anki["ivl"]))


def test_real_package_keeps_each_answer_with_its_quality() -> None:
    cards = cards_by_key(read("current.apkg"))

    for note in EXPECTED["notes"].values():
        for anki in note["cards"]:
            reviews = cards[anki["key"]].reviews
            assert [r.quality for r in reviews] == [QUALITY[e] for e in anki["review_eases"]]
            assert [r.reviewed_ms for r in reviews] == sorted(r.reviewed_ms for r in reviews)
            assert all(r.reviewed_ms < EXPECTED["today_ms"] for r in reviews)
            assert all(1 < r.seconds < 10 for r in reviews)
    lapsed = cards[expected_card("reversed_cyrillic")["key"]]
    assert lapsed.schedule.lapses == 3
    assert sum(r.quality < 3 for r in lapsed.reviews) >= 3


def test_real_package_card_kinds_and_states() -> None:
    cards = cards_by_key(read("current.apkg"))

    relearning = expected_card("basic_html")
    assert (relearning["type"], relearning["queue"]) == (3, 1)
    assert cards[relearning["key"]].schedule.due_in_days == 0
    learning = expected_card("late_learning")
    assert (learning["type"], learning["queue"]) == (1, 1)
    fresh = cards[expected_card("fresh_new")["key"]].schedule
    assert fresh.due_in_days is None and fresh.repetitions == 0
    suspended = cards[expected_card("reversed_cyrillic", 1)["key"]].schedule
    assert suspended.suspended and suspended.due_in_days == 17


def test_real_package_renders_basic_reversed_optional_and_typed_notes() -> None:
    cards = cards_by_key(read("current.apkg"))

    def texts(label: str, ord_: int = 0) -> tuple[str, str]:
        card = cards[expected_card(label, ord_)["key"]]
        return card.front, card.back

    assert texts("basic_html") == (
        "What does **SM-2** stand for?",
        "SuperMemo 2,  \nby *Piotr Wozniak* (1987)",
    )
    assert texts("basic_list") == (
        "Name two optimisers and a price",
        "- SGD with momentum\n- Adam\n\nIt costs \\$5 or \\$6 a\\*b\\*c",
    )
    assert texts("reversed_cyrillic", 0) == ("собака", "dog")
    assert texts("reversed_cyrillic", 1) == ("dog", "собака")
    assert texts("reversed_math", 1) == (r"$\frac{e^{x_i}}{\sum_j e^{x_j}}$", "softmax")
    assert texts("optional_with", 1) == ("кошка", "cat")
    assert len(EXPECTED["notes"]["optional_without"]["cards"]) == 1
    assert texts("typed") == ("Type 'house' in Russian", "дом")  # the typing box is dropped
    assert cards[expected_card("basic_html")["key"]].tags == ("algorithms", "sm2")


def test_real_package_renders_cloze_cards_one_per_deletion() -> None:
    cards = cards_by_key(read("current.apkg"))

    def texts(label: str, ord_: int = 0) -> tuple[str, str]:
        card = cards[expected_card(label, ord_)["key"]]
        return card.front, card.back

    assert texts("cloze_two", 0) == (
        "The capital of **\\[...\\]** is Paris.",
        "The capital of **France** is Paris.  \nGeography",
    )
    assert texts("cloze_two", 1)[0] == "The capital of France is **\\[city\\]**."
    assert texts("cloze_math") == (
        "Attention: **\\[...\\]**",
        "Attention: **$\\mathrm{softmax}(QK^T/\\sqrt{d})V$**  \n$$d = d_k$$",
    )
    assert texts("cloze_cyrillic") == (
        "Столица России — **\\[...\\]**.",
        "Столица России — **Москва**.",
    )


@pytest.mark.parametrize("name", REAL_FILES)
def test_real_package_brings_its_picture(name: str) -> None:
    package = read(name)
    image = EXPECTED["image_name"]

    card = cards_by_key(package)[expected_card("image")["key"]]
    assert card.front == f"Which colour? ![]({image})"
    assert [media.name for media in package.media] == [image]
    assert package.media[0].data.startswith(b"\x89PNG\r\n\x1a\n")


def test_current_legacy_and_collection_exports_read_the_same() -> None:
    current, legacy, whole = (read(name) for name in REAL_FILES)

    assert current.decks == legacy.decks == whole.decks
    assert current.media == legacy.media == whole.media


def test_imported_texts_render_as_anki_showed_them() -> None:
    """The Markdown goes through our renderer: bold, lists, literal dollars and maths."""
    cards = cards_by_key(read("current.apkg"))
    renderer = Renderer()

    listing = renderer.markdown_to_html(cards[expected_card("basic_list")["key"]].back, LIGHT)
    assert "<li>SGD with momentum</li>" in listing
    assert "It costs $5 or $6 a*b*c" in listing
    formula = renderer.markdown_to_html(cards[expected_card("reversed_math")["key"]].back, LIGHT)
    assert "<img" in formula and "$" not in formula
    cloze = renderer.markdown_to_html(cards[expected_card("cloze_two")["key"]].front, LIGHT)
    assert "<strong>[...]</strong>" in cloze


def test_progress_and_cancel() -> None:
    calls: list[tuple[int, int]] = []
    read_anki_package(
        FIXTURES / "current.apkg", progress=lambda done, total: calls.append((done, total))
    )
    assert calls[0] == (0, 17) and calls[-1] == (17, 17)

    with pytest.raises(ImportFailed, match="cancelled"):
        read_anki_package(FIXTURES / "current.apkg", cancel=lambda: True)


# -- hand-built collections ----------------------------------------------------------------------

BASIC_MODEL = {
    "name": "Basic",
    "type": 0,
    "flds": [{"name": "Front", "ord": 0}, {"name": "Back", "ord": 1}],
    "tmpls": [
        {
            "name": "Card 1",
            "ord": 0,
            "qfmt": "{{Front}}",
            "afmt": "{{FrontSide}}<hr id=answer>{{Back}}",
        }
    ],
}
CRT = 1_700_000_000 - 1_700_000_000 % 86_400 + 4 * 3600  # 04:00 UTC, Anki's day start
NOW_MS = (CRT + 10 * 86_400 + 3600) * 1000  # Anki's day 10


def legacy_collection(
    path: Path,
    *,
    models: dict[str, dict] | None = None,
    notes: list[tuple[int, str, int, str, str]] = (),  # type: ignore[assignment]
    cards: list[tuple] = (),  # type: ignore[assignment]
    revlog: list[tuple] = (),  # type: ignore[assignment]
    decks: dict[str, dict] | None = None,
    ver: int = 11,
) -> bytes:
    """A schema-11 collection as Anki 2.1 wrote them; returns the SQLite file's bytes.

    ``cards`` rows: (id, nid, did, ord, type, queue, due, ivl, factor, reps, lapses, odue, odid).
    """
    db = sqlite3.connect(path)
    db.executescript(
        "CREATE TABLE col (id integer primary key, crt integer, mod integer, scm integer,"
        " ver integer, dty integer, usn integer, ls integer, conf text, models text,"
        " decks text, dconf text, tags text);"
        "CREATE TABLE notes (id integer primary key, guid text, mid integer, mod integer,"
        " usn integer, tags text, flds text, sfld text, csum integer, flags integer, data text);"
        "CREATE TABLE cards (id integer primary key, nid integer, did integer, ord integer,"
        " mod integer, usn integer, type integer, queue integer, due integer, ivl integer,"
        " factor integer, reps integer, lapses integer, left integer, odue integer,"
        " odid integer, flags integer, data text);"
        "CREATE TABLE revlog (id integer primary key, cid integer, usn integer, ease integer,"
        " ivl integer, lastIvl integer, factor integer, time integer, type integer);"
    )
    models = models if models is not None else {"100": BASIC_MODEL}
    decks = decks if decks is not None else {"1": {"name": "Default", "desc": "", "dyn": 0}}
    conf = {"creationOffset": 0, "rollover": 4}
    db.execute(
        "INSERT INTO col VALUES (1, ?, 0, 0, ?, 0, 0, 0, ?, ?, ?, '{}', '{}')",
        (CRT, ver, json.dumps(conf), json.dumps(models), json.dumps(decks)),
    )
    for nid, guid, mid, tags, flds in notes:
        db.execute(
            "INSERT INTO notes VALUES (?, ?, ?, 0, 0, ?, ?, '', 0, 0, '')",
            (nid, guid, mid, tags, flds),
        )
    for cid, nid, did, ord_, type_, queue, due, ivl, factor, reps, lapses, odue, odid in cards:
        db.execute(
            "INSERT INTO cards VALUES (?, ?, ?, ?, 0, 0, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, 0, '')",
            (cid, nid, did, ord_, type_, queue, due, ivl, factor, reps, lapses, odue, odid),
        )
    for row in revlog:
        db.execute("INSERT INTO revlog VALUES (?, ?, 0, ?, ?, 0, ?, ?, ?)", row)
    db.commit()
    db.close()
    return path.read_bytes()


def package(tmp_path: Path, members: dict[str, bytes], name: str = "deck.apkg") -> Path:
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, data in members.items():
            archive.writestr(member, data)
    return path


def legacy_package(tmp_path: Path, media: dict[str, bytes] | None = None, **kwargs) -> Path:
    collection = legacy_collection(tmp_path / "build.sqlite", **kwargs)
    (tmp_path / "build.sqlite").unlink()
    media = media or {}
    members = {"collection.anki2": collection}
    members["media"] = json.dumps({str(i): name for i, name in enumerate(media)}).encode()
    members.update({str(i): data for i, data in enumerate(media.values())})
    return package(tmp_path, members)


def test_generic_note_type_uses_its_own_templates(tmp_path: Path) -> None:
    model = {
        "name": "Vocab",
        "type": 0,
        "flds": [
            {"name": "Word", "ord": 0},
            {"name": "Meaning", "ord": 1},
            {"name": "Note", "ord": 2},
        ],
        "tmpls": [
            {
                "name": "Recall",
                "ord": 0,
                "qfmt": "<h2>{{Word}}</h2>{{#Note}}<i>{{Note}}</i>{{/Note}}"
                "{{^Note}}(no note){{/Note}}",
                "afmt": "{{FrontSide}}<hr id=answer>{{text:Meaning}} [{{Tags}}]",
            }
        ],
    }
    path = legacy_package(
        tmp_path,
        models={"7": model},
        notes=[
            (1, "g1", 7, " verbs ", "laufen\x1f<b>to</b> run\x1f"),
            (2, "g2", 7, "", "a\x1fb\x1fn"),
        ],
        cards=[
            (11, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0),
            (12, 2, 1, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0),
        ],
    )

    package_ = read_anki_package(path, today_ms=NOW_MS)
    cards = cards_by_key(package_)

    # Anki's "Default" deck (id 1) is in every collection: told apart by collection and file
    assert (package_.decks[0].key, package_.decks[0].title) == (f"anki-1-{CRT}", "Default (deck)")
    assert (cards["anki-g1-0"].front, cards["anki-g1-0"].back) == (
        "## laufen\n\n(no note)",
        "to run \\[verbs\\]",
    )
    assert cards["anki-g2-0"].front == "## a\n\n*n*"


def test_review_mapping_uses_the_collection_day_and_keeps_learning_history(tmp_path: Path) -> None:
    day_ms = 86_400_000
    path = legacy_package(
        tmp_path,
        notes=[(1, "g", 100, "", "q\x1fa")],
        # review card due on Anki's day 13 (three days after "today" = day 10), ivl 9, ease 2.1
        cards=[(11, 1, 1, 0, 2, 2, 13, 9, 2100, 5, 1, 0, 0)],
        revlog=[
            (CRT * 1000 + 1, 11, 3, -600, 0, 4000, 0),  # learning step (interval in seconds)
            (CRT * 1000 + day_ms, 11, 3, 1, 2500, 3000, 0),
            (CRT * 1000 + 2 * day_ms, 11, 1, -600, 2300, 9000, 1),  # lapse
            (CRT * 1000 + 3 * day_ms, 11, 0, 5, 2300, 0, 4),  # "set due date": no answer
            (CRT * 1000 + 4 * day_ms, 11, 4, 4, 2450, 2500, 1),
            (CRT * 1000 + 5 * day_ms, 11, 3, 9, 2100, 1500, 1),
        ],
    )

    card = cards_by_key(read_anki_package(path, today_ms=NOW_MS))["anki-g-0"]

    assert (card.schedule.due_in_days, card.schedule.interval) == (3, 9)
    assert (card.schedule.ef_hundredths, card.schedule.lapses) == (210, 1)
    assert card.schedule.repetitions == 2  # two passing reviews since the lapse
    assert [r.quality for r in card.reviews] == [4, 4, 1, 5, 4]
    assert [r.interval_after for r in card.reviews] == [0, 1, 0, 4, 9]
    assert [r.ef_after for r in card.reviews] == [250, 250, 230, 245, 210]
    assert card.reviews[2].seconds == 9.0


def test_relearning_in_the_old_scheduler_is_a_failed_card_due_today(tmp_path: Path) -> None:
    """Anki 2.0 kept a lapsed card as a review card (type 2) in the learning queue (1)."""
    path = legacy_package(
        tmp_path,
        notes=[(1, "g", 100, "", "q\x1fa")],
        cards=[(11, 1, 1, 0, 2, 1, NOW_MS // 1000 + 600, 3, 2000, 9, 2, 0, 0)],
    )

    schedule = cards_by_key(read_anki_package(path, today_ms=NOW_MS))["anki-g-0"].schedule

    assert (schedule.repetitions, schedule.interval, schedule.due_in_days) == (0, 3, 0)
    assert (schedule.ef_hundredths, schedule.lapses) == (200, 2)


def test_filtered_deck_cards_go_home_with_their_original_due(tmp_path: Path) -> None:
    decks = {
        "1": {"name": "Default", "desc": "", "dyn": 0},
        "5": {"name": "Lang::German", "desc": "<b>Verbs</b>", "dyn": 0},
        "6": {"name": "Cram", "desc": "", "dyn": 1},
    }
    path = legacy_package(
        tmp_path,
        decks=decks,
        notes=[(1, "g", 100, "", "q\x1fa")],
        cards=[(11, 1, 6, 0, 2, 2, -100000, 4, 2500, 3, 0, 12, 5)],
    )

    package_ = read_anki_package(path, today_ms=NOW_MS)

    [deck] = package_.decks
    assert (deck.key, deck.title, deck.description) == ("anki-5", "Lang::German", "**Verbs**")
    assert deck.cards[0].schedule.due_in_days == 2


def test_cloze_hint_nesting_and_missing_picture(tmp_path: Path) -> None:
    cloze = {
        "name": "Cloze",
        "type": 1,
        "flds": [{"name": "Text", "ord": 0}, {"name": "Extra", "ord": 1}],
        "tmpls": [
            {
                "name": "Cloze",
                "ord": 0,
                "qfmt": "{{cloze:Text}}",
                "afmt": "{{cloze:Text}}<br>{{Extra}}",
            }
        ],
    }
    text = (
        '{{c1::Paris::city}} is in {{c2::France {{c3::Europe}}}} <img src="map.png">'
        '<img src="gone.png">'
    )
    path = legacy_package(
        tmp_path,
        models={"9": cloze},
        media={"map.png": b"\x89PNG\r\n\x1a\nmap"},
        notes=[(1, "c", 9, "", f"{text}\x1f")],
        cards=[(10 + n, 1, 1, n, 0, 0, n, 0, 0, 0, 0, 0, 0) for n in range(3)],
    )

    package_ = read_anki_package(path, today_ms=NOW_MS)
    cards = cards_by_key(package_)

    assert cards["anki-c-0"].front == "**\\[city\\]** is in France Europe ![](map.png)![](gone.png)"
    assert cards["anki-c-1"].front.startswith("Paris is in **\\[...\\]** ")
    assert cards["anki-c-1"].back.startswith("Paris is in **France Europe** ")
    assert cards["anki-c-2"].front.startswith("Paris is in France **\\[...\\]** ")
    assert [media.name for media in package_.media] == ["map.png"]
    assert any("gone.png" in warning for warning in package_.warnings)


def test_unsupported_parts_are_skipped_with_a_warning(tmp_path: Path) -> None:
    path = legacy_package(
        tmp_path,
        notes=[(1, "s", 100, "", "Hear [sound:a.mp3]\x1fa"), (2, "e", 100, "", "\x1fonly back")],
        cards=[
            (11, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0),
            (12, 2, 1, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0),
            (13, 99, 1, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0),
        ],
    )

    package_ = read_anki_package(path, today_ms=NOW_MS)

    assert [card.key for card in package_.decks[0].cards] == ["anki-s-0"]
    assert package_.decks[0].cards[0].front == "Hear"
    text = " ".join(package_.warnings)
    assert "sound" in text and "empty question" in text and "without a note" in text


# -- bad files -----------------------------------------------------------------------------------


def test_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.apkg"
    path.write_bytes(b"")
    with pytest.raises(ImportFailed, match=r"empty\.apkg: the file is empty"):
        read_anki_package(path)


def test_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ImportFailed, match=r"nothing\.apkg: cannot be read"):
        read_anki_package(tmp_path / "nothing.apkg")


def test_not_a_zip_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.apkg"
    path.write_text("front,back\n", encoding="utf-8")
    with pytest.raises(ImportFailed, match=r"notes\.apkg: not an Anki package \(not a zip file"):
        read_anki_package(path)


@pytest.mark.parametrize("member", ["../evil.txt", "media/../../evil", "/etc/evil", "C:/evil"])
def test_zip_with_a_path_escaping_the_folder_is_refused(tmp_path: Path, member: str) -> None:
    path = package(tmp_path, {"collection.anki2": b"x", member: b"owned"})
    with pytest.raises(ImportFailed, match="unsafe path"):
        read_anki_package(path)
    assert not (tmp_path.parent / "evil.txt").exists()


def test_zip_bomb_is_refused_before_extracting(tmp_path: Path) -> None:
    path = package(tmp_path, {"collection.anki2": b"\0" * (8 * 1024**2)})
    with pytest.raises(ImportFailed, match=r"would expand \d+ times \(a zip bomb\?\)"):
        read_anki_package(path)


def test_contents_beyond_the_size_limit_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(anki_package, "MAX_TOTAL_BYTES", 4096)
    path = package(tmp_path, {"collection.anki2": b"a" * 3000, "0": b"b" * 3000})
    with pytest.raises(ImportFailed, match="would expand beyond"):
        read_anki_package(path)


def test_zstd_bomb_inside_the_zip_is_capped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The zip sees a small stored member; only decompressing shows how big it would be."""
    monkeypatch.setattr(anki_package, "MAX_TOTAL_BYTES", 1024**2)
    bomb = zstandard.ZstdCompressor().compress(b"\0" * (4 * 1024**2))
    path = package(tmp_path, {"collection.anki21b": bomb})
    with pytest.raises(ImportFailed, match=r"collection\.anki21b.*would expand beyond 1 MiB"):
        read_anki_package(path)


def test_zip_without_a_collection_is_refused(tmp_path: Path) -> None:
    path = package(tmp_path, {"readme.txt": b"hello"})
    with pytest.raises(ImportFailed, match="not an Anki package"):
        read_anki_package(path)


def test_collection_that_is_not_sqlite_is_refused(tmp_path: Path) -> None:
    path = package(tmp_path, {"collection.anki21": b"this is not a database" * 10})
    with pytest.raises(ImportFailed, match="not an SQLite database"):
        read_anki_package(path)


def test_sqlite_that_is_not_an_anki_collection_is_refused(tmp_path: Path) -> None:
    db_path = tmp_path / "other.sqlite"
    with sqlite3.connect(db_path) as db:
        db.execute("CREATE TABLE things (x)")
    db.close()
    path = package(tmp_path, {"collection.anki2": db_path.read_bytes()})
    with pytest.raises(ImportFailed, match=r"deck\.apkg: not an Anki collection"):
        read_anki_package(path)


def test_unknown_schema_is_refused(tmp_path: Path) -> None:
    path = legacy_package(tmp_path, ver=15)
    with pytest.raises(ImportFailed, match="unknown Anki collection schema 15"):
        read_anki_package(path)


def test_note_with_a_missing_note_type_is_refused(tmp_path: Path) -> None:
    path = legacy_package(
        tmp_path,
        notes=[(1, "g", 404, "", "q\x1fa")],
        cards=[(11, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0)],
    )
    with pytest.raises(ImportFailed, match="note type 404, which is not in the package"):
        read_anki_package(path)


def test_damaged_zstd_collection_is_refused(tmp_path: Path) -> None:
    data = zstandard.ZstdCompressor().compress(b"SQLite format 3\0" + b"x" * 5000)
    path = package(tmp_path, {"collection.anki21b": data[:20] + b"garbage" * 20})
    with pytest.raises(ImportFailed, match="damaged"):
        read_anki_package(path)


def test_truncated_zip_is_refused(tmp_path: Path) -> None:
    data = (FIXTURES / "current.apkg").read_bytes()
    path = tmp_path / "cut.apkg"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ImportFailed, match=r"cut\.apkg: not an Anki package"):
        read_anki_package(path)


# -- pieces --------------------------------------------------------------------------------------


def test_anki_day_starts_at_the_rollover_hour() -> None:
    assert anki_day(CRT, CRT + 86_400 - 1, creation_offset=0) == 0
    assert anki_day(CRT, CRT + 86_400, creation_offset=0) == 1
    # created in UTC+3 (Anki stores minutes west of UTC), now three hours later in UTC terms
    assert anki_day(CRT - 3 * 3600, CRT + 86_400 - 3 * 3600, creation_offset=-180) == 1
    assert anki_day(CRT, CRT + 5 * 86_400 + 10) == 5  # old collections: no offsets stored


def test_templates_sections_and_special_fields() -> None:
    template = parse_template(
        "{{#A}}a={{A}}{{/A}}{{^B}} no B{{/B}} {{Deck}}/{{Subdeck}} {{Missing}}"
    )
    context = CardContext({"A": "1", "B": "<br>"}, deck="X::Y")
    assert template.render(context) == "a=1 no B X::Y/Y "
    assert context.warnings == {"template refers to a missing field {{Missing}}"}
    tagged = parse_template("{{#Tags}}[{{Tags}}]{{/Tags}}{{^Tags}}untagged{{/Tags}}")
    assert tagged.render(CardContext({}, tags=" a b ")) == "[a b]"
    assert tagged.render(CardContext({}, tags="")) == "untagged"
    with pytest.raises(ValueError, match="never closed"):
        parse_template("{{#A}}open")


def test_cloze_question_and_answer() -> None:
    text = "{{c1::a}} {{c2::b::hint}} {{c1::c}}"
    assert render_cloze(text, 1, answer=False) == "<b>[...]</b> b <b>[...]</b>"
    assert render_cloze(text, 2, answer=False) == "a <b>[hint]</b> c"
    assert render_cloze(text, 2, answer=True) == "a <b>b</b> c"


@pytest.mark.parametrize(
    ("html", "markdown"),
    [
        ("a<br><br>b<br>c", "a\n\nb  \nc"),
        ("<div>a</div><div><br></div><div>b</div>", "a\n\nb"),
        (
            "# no heading<br>- no list<br>3. no list",
            "\\# no heading  \n\\- no list  \n3\\. no list",
        ),
        ("learning_rate _x_ R&amp;D &amp;lt; 3 &lt; 4", "learning_rate \\_x\\_ R&D &amp;lt; 3 < 4"),
        ("~~~<br>===<br>---", "&#126;~~  \n&#61;==  \n\\---"),
        ("<b>bold </b>word", "**bold** word"),
        ('<img src="my pic.png" alt="A">', "![A](my%20pic.png)"),
        ('<img src="https://x.org/a.png">', ""),
        ("<pre>def f(x):\n    return x*2</pre>", "```\ndef f(x):\n    return x*2\n```"),
        (
            '<pre><code class="language-python">x&nbsp;=&nbsp;1</code></pre>',
            "```python\nx = 1\n```",
        ),
        ("<ol><li>one<ul><li>sub</li></ul></li><li>two</li></ol>", "1. one\n    - sub\n2. two"),
        ("<code>a_b*c</code>", "`a_b*c`"),
        (r"\[x^2\] and [$]y[/$]", "$$x^2$$ and $y$"),
        (r"\(a &lt; b<br>\)", "$a < b$"),
        ("[latex]$x^2$[/latex] [latex]\\int f[/latex]", "$$x^2$$ $$\\int f$$"),
        ("<table><tr><th>a</th></tr><tr><td>1|2</td></tr></table>", "| a |\n| --- |\n| 1\\|2 |"),
        ('<a href="https://x.org">x</a> <a href="javascript:x()">y</a>', "[x](https://x.org) y"),
    ],
)
def test_html_to_markdown(html: str, markdown: str) -> None:
    assert html_to_markdown(html).markdown == markdown


def test_any_tag_soup_converts_and_renders() -> None:
    """Fields from add-ons and old editors hold any HTML: never a crash, never raw markers."""
    pieces = [
        *("<b>", "</b>", "<div>", "</div>", "<br>", "<ul>", "<li>", "</ul>", "<pre>", "</pre>"),
        *("<table>", "<tr>", "<td>", "<code>", "</code>", "a", " ", "\\(", "\\)", "$", "*"),
        *("_", "&nbsp;", "&lt;", "<img src='x.png'>", "1. ", "# ", "\n", "`", "[", "]"),
    ]
    rng = random.Random(5)
    renderer = Renderer()
    for _ in range(300):
        source = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 30)))
        markdown = html_to_markdown(source).markdown
        assert not any("\ue000" <= char <= "\ue010" for char in markdown), source
        renderer.markdown_to_html(markdown, LIGHT)


def test_escaped_text_renders_literally() -> None:
    source = "Costs $5 and $6, a*b*c, [x](y), `tick`, 1 < 2 > 0, _u_ \\$"
    markdown = html_to_markdown(source.replace("<", "&lt;").replace(">", "&gt;")).markdown
    html = Renderer().markdown_to_html(markdown, LIGHT)
    assert html == "<p>" + source.replace("<", "&lt;").replace(">", "&gt;") + "</p>"


def test_media_map_in_the_newest_format(tmp_path: Path) -> None:
    """Protobuf media entries, each member zstd-compressed (what Anki 23.10+ writes)."""

    def entry(name: str, size: int) -> bytes:
        body = b"\x0a" + bytes([len(name)]) + name.encode() + b"\x10" + bytes([size])
        return b"\x0a" + bytes([len(body)]) + body

    compress = zstandard.ZstdCompressor().compress
    collection = legacy_collection(
        tmp_path / "build.sqlite",
        notes=[(1, "g", 100, "", '<img src="b.png">\x1f<img src="a.png">')],
        cards=[(11, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0)],
    )
    (tmp_path / "build.sqlite").unlink()
    path = package(
        tmp_path,
        {
            "collection.anki21b": compress(collection),
            "media": compress(entry("a.png", 3) + entry("b.png", 3)),
            "0": compress(b"AAA"),
            "1": compress(b"BBB"),
            "meta": b"\x08\x03",
        },
    )

    media = read_anki_package(path, today_ms=NOW_MS).media

    assert {(m.name, m.data) for m in media} == {("a.png", b"AAA"), ("b.png", b"BBB")}


def test_reading_never_writes_next_to_the_package(tmp_path: Path) -> None:
    folder = tmp_path / "pkg"
    folder.mkdir()
    copy = folder / "current.apkg"
    copy.write_bytes((FIXTURES / "current.apkg").read_bytes())

    read_anki_package(copy)

    assert [p.name for p in folder.iterdir()] == ["current.apkg"]
