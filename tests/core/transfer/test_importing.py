"""Writing an import into the collection: one transaction, progress kept, never duplicated."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from studyapp.core.collection import Collection
from studyapp.core.decks.sync import sync_deck_folders
from studyapp.core.scheduling.study_day import epoch_ms
from studyapp.core.storage.paths import DataPaths
from studyapp.core.transfer.import_model import (
    ImportedCard,
    ImportedDeck,
    ImportedMedia,
    ImportedReview,
    ImportedSchedule,
    ImportFailed,
    ImportPackage,
)
from studyapp.core.transfer.importing import ImportCancelled, import_package
from tests.conftest import FakeClock
from tests.core.import_helpers import dump

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
DAY_MS = 86_400_000


def package(clock: FakeClock, *, extra_review: bool = False) -> ImportPackage:
    now = epoch_ms(FakeClock()())  # fixed times: the same package whenever it is built
    reviews = (
        ImportedReview(now - 7 * DAY_MS, 4, 3.5, 1, 250),
        ImportedReview(now - 6 * DAY_MS, 5, 2.0, 6, 260),
    )
    if extra_review:
        reviews += (ImportedReview(now + 2 * 3_600_000, 2, 4.0, 1, 240),)
    cards = [
        ImportedCard(
            "imp-due",
            "Due today?",
            "Yes ![](cat.png)",
            ("a", "b"),
            ImportedSchedule(2, 260, 6, 0),
            reviews,
        ),
        ImportedCard("imp-overdue", "Overdue?", "By 3 days", (), ImportedSchedule(3, 250, 10, -3)),
        ImportedCard("imp-later", "Later?", "In 5 days", (), ImportedSchedule(3, 250, 15, 5)),
        ImportedCard("imp-new", "New?", "Not seen yet"),
        ImportedCard(
            "imp-suspended", "Suspended?", "Yes", (), ImportedSchedule(1, 250, 1, 0, True)
        ),
    ]
    return ImportPackage(
        source="test.apkg",
        decks=[ImportedDeck("imp-deck", "Imported", cards, "From a test")],
        media=[ImportedMedia("cat.png", PNG)],
    )


def item(collection: Collection, key: str) -> tuple:
    return collection.db.conn.execute(
        "SELECT repetitions, ef_hundredths, interval, due_day, suspended, retired, front, back "
        "FROM item WHERE key = ?",
        (key,),
    ).fetchone()


def test_import_writes_decks_cards_schedule_history_and_media(
    collection: Collection, clock: FakeClock
) -> None:
    today = collection.today()
    assert collection.counts().due == 0
    summary = import_package(collection, package(clock))
    assert (summary.added, summary.updated, summary.reviews, summary.media) == (5, 0, 2, 1)
    deck = collection.db.conn.execute(
        "SELECT title, description, source_path, enabled FROM deck WHERE key = 'imp-deck'"
    ).fetchone()
    assert deck == ("Imported", "From a test", "", 1)
    assert item(collection, "imp-due")[:5] == (2, 260, 6, today, 0)
    assert item(collection, "imp-overdue")[3] == today - 3
    assert item(collection, "imp-new")[3] is None
    assert item(collection, "imp-suspended")[4] == 1
    media = DataPaths(collection.path.parent).media
    assert (media / "cat.png").read_bytes() == PNG
    assert not [p for p in collection.path.parent.iterdir() if p.name.startswith(".import")]
    # The history is in the log with its study days and a consistent before/after chain.
    [card_id] = collection.db.conn.execute("SELECT id FROM item WHERE key = 'imp-due'").fetchone()
    log = collection.history(card_id)
    assert [(r.study_day, r.quality, r.interval_after) for r in log] == [
        (today - 7, 4, 1),
        (today - 6, 5, 6),
    ]
    assert log[0].due_before is None and log[1].due_before == log[0].due_after == today - 6
    assert (log[1].reps_before, log[1].ef_before, log[1].reps_after) == (1, 250, 2)


def test_imported_schedule_shows_up_in_the_queue_on_the_right_day(
    collection: Collection, clock: FakeClock
) -> None:
    counts = collection.counts()  # a cached queue must be rebuilt by the import
    import_package(collection, package(clock))
    after = collection.counts()
    assert after.due == counts.due + 2  # due today and overdue; suspended and later are not
    shown = collection.next_card()
    assert shown is not None and shown.key == "imp-overdue"  # most overdue first
    clock.advance(days=5)
    assert collection.counts().due == 3
    [deck] = [d for d in collection.decks() if d.key == "imp-deck"]
    assert (deck.cards, deck.due, deck.new) == (4, 3, 1)  # the suspended card is not counted


def test_reimport_updates_by_key_and_never_duplicates(
    collection: Collection, clock: FakeClock
) -> None:
    import_package(collection, package(clock))
    rows = dump(collection)
    again = import_package(collection, package(clock))
    assert (again.added, again.updated, again.unchanged, again.reviews, again.media) == (
        0,
        0,
        5,
        0,
        0,
    )
    assert dump(collection) == rows
    edited = package(clock)
    cards = list(edited.decks[0].cards)
    cards[1] = ImportedCard("imp-overdue", "Overdue?", "By three days", (), cards[1].schedule)
    edited.decks[0].cards[:] = cards
    summary = import_package(collection, edited)
    assert (summary.added, summary.updated) == (0, 1)
    assert item(collection, "imp-overdue")[7] == "By three days"
    assert collection.db.conn.execute(
        "SELECT count(*) FROM item WHERE key LIKE 'imp-%'"
    ).fetchone() == (5,)


def test_progress_made_here_is_kept_unless_the_package_is_newer(
    collection: Collection, clock: FakeClock
) -> None:
    import_package(collection, package(clock))
    clock.advance(hours=1)
    card = collection.next_card()
    assert card is not None and card.key == "imp-overdue"
    collection.answer(card, 5)
    ours = item(collection, "imp-overdue")
    import_package(collection, package(clock))
    assert item(collection, "imp-overdue") == ours  # the package knows nothing newer
    # A package with an answer given after the last one here wins, and adds only that answer.
    newer = import_package(collection, package(clock, extra_review=True))
    assert newer.reviews == 1 and newer.updated == 1
    assert item(collection, "imp-due")[:4] == (2, 260, 6, collection.today())
    [card_id] = collection.db.conn.execute("SELECT id FROM item WHERE key = 'imp-due'").fetchone()
    assert [r.quality for r in collection.history(card_id)] == [4, 5, 2]


def test_cancel_mid_import_changes_nothing(collection: Collection, clock: FakeClock) -> None:
    cards = [ImportedCard(f"bulk-{i}", f"Q{i}", f"A{i}") for i in range(700)]
    big = ImportPackage(
        "big.csv", [ImportedDeck("bulk", "Bulk", cards)], [ImportedMedia("x.png", PNG)]
    )
    before = dump(collection)
    calls: list[tuple[int, int]] = []
    with pytest.raises(ImportCancelled, match="cancelled"):
        import_package(
            collection, big, cancel=lambda: len(calls) >= 2, progress=lambda *a: calls.append(a)
        )
    assert calls == [(0, 700), (200, 700)]  # it got half-way: rows were written, then undone
    assert dump(collection) == before
    summary = import_package(collection, big, progress=lambda *a: calls.append(a))
    assert summary.added == 700 and calls[-1] == (700, 700)


@pytest.mark.parametrize("case", ["empty", "file-deck", "bad-grade"])
def test_refused_packages_leave_everything_as_it_was(
    collection: Collection, clock: FakeClock, case: str
) -> None:
    good = package(clock)
    if case == "empty":
        bad = ImportPackage("empty.apkg", [ImportedDeck("d", "D", [])])
        message = "no cards"
    elif case == "file-deck":  # 'alpha' comes from alpha.md: a sync would retire the cards
        bad = ImportPackage("x.csv", [ImportedDeck("alpha", "Alpha", good.decks[0].cards)])
        message = "comes from the deck file"
    else:
        broken = ImportedCard("z", "q", "a", reviews=(ImportedReview(1, 9, 0.0, 1, 250),))
        bad = ImportPackage("x.apkg", [ImportedDeck("d", "D", [*good.decks[0].cards, broken])])
        bad.media.extend(good.media)
        message = "grade 9"
    before = dump(collection)
    with pytest.raises(ImportFailed, match=message):
        import_package(collection, bad)
    assert dump(collection) == before


def test_imported_decks_survive_a_deck_sync(
    collection: Collection, clock: FakeClock, decks_dir: Path
) -> None:
    import_package(collection, package(clock))
    report = sync_deck_folders(collection, [decks_dir])
    assert report.retired == 0
    assert item(collection, "imp-new")[5] == 0
    assert any(d.key == "imp-deck" for d in collection.decks())


def test_media_name_clash_keeps_both_files(collection: Collection, clock: FakeClock) -> None:
    media = DataPaths(collection.path.parent).media
    media.mkdir(parents=True)
    (media / "cat.png").write_bytes(b"another picture")
    unsafe = ImportedMedia("../evil.png", PNG)
    pkg = package(clock)
    pkg.media.append(unsafe)
    summary = import_package(collection, pkg)
    assert (media / "cat.png").read_bytes() == b"another picture"
    [renamed] = [p for p in media.iterdir() if p.name != "cat.png"]
    assert renamed.read_bytes() == PNG and renamed.name.startswith("cat-")
    assert item(collection, "imp-due")[7] == f"Yes ![]({renamed.name})"
    assert any("../evil.png" in w for w in summary.warnings)
    assert not (collection.path.parent.parent / "evil.png").exists()


def test_review_days_follow_the_day_start_hour(collection: Collection, clock: FakeClock) -> None:
    collection.update_settings(day_start_hour=4)
    late = clock() - timedelta(days=1, hours=7)  # 03:00 yesterday: still the day before
    review = ImportedReview(epoch_ms(late), 4, 1.0, 1, 250)
    card = ImportedCard("late", "q", "a", (), ImportedSchedule(1, 250, 1, 0), (review,))
    import_package(collection, ImportPackage("x", [ImportedDeck("d", "D", [card])]))
    [card_id] = collection.db.conn.execute("SELECT id FROM item WHERE key = 'late'").fetchone()
    assert collection.history(card_id)[0].study_day == collection.today() - 2


def test_real_anki_packages_import_once_with_progress_and_pictures(collection: Collection) -> None:
    from studyapp.core.rendering.render import LIGHT, Renderer
    from studyapp.core.transfer.importing import read_import_file

    fixtures = Path(__file__).resolve().parents[2] / "fixtures" / "anki"
    due_before = collection.counts().due
    first = import_package(collection, read_import_file(fixtures / "current.apkg"))
    assert (first.added, first.media) == (17, 1) and first.reviews > 0
    assert collection.counts().due > due_before  # Anki's due cards are due here too
    # The same collection exported by older Anki, and as a whole-collection package: same keys.
    for name in ("legacy.apkg", "collection.colpkg"):
        again = import_package(collection, read_import_file(fixtures / name))
        assert (again.added, again.unchanged, again.reviews, again.media) == (0, 17, 0, 0)
    [(front,)] = collection.db.conn.execute(
        "SELECT front FROM item WHERE front LIKE '%red-square.png%'"
    ).fetchall()
    media = DataPaths(collection.path.parent).media
    html = Renderer(media_dir=media).markdown_to_html(front, LIGHT)
    assert 'src="data:image/png;base64,' in html
