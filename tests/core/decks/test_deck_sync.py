"""Syncing deck files keeps progress: edits update in place, removals retire, ids are identity."""

from __future__ import annotations

from pathlib import Path

from studyapp.core.collection import Collection
from studyapp.core.decks.format import load_decks
from studyapp.core.decks.sync import bundled_decks_dir, sync_deck_folders
from tests.conftest import deck_text


def state_of(col: Collection, key: str) -> tuple:
    return col.db.conn.execute(
        "SELECT repetitions, ef_hundredths, interval, due_day, retired, front FROM item "
        "WHERE key=?",
        (key,),
    ).fetchone()


def test_editing_a_card_keeps_its_history(collection: Collection, decks_dir: Path) -> None:
    card = collection.next_card()
    assert card is not None and card.key == "a1"
    collection.answer(card, 5)
    before = state_of(collection, "a1")
    alpha = decks_dir / "alpha.md"
    alpha.write_text(alpha.read_text().replace("Question a1?", "Question a1, typo fixed?"))
    report = sync_deck_folders(collection, [decks_dir])
    assert (report.added, report.updated, report.retired) == (0, 1, 0)
    after = state_of(collection, "a1")
    assert after[:5] == before[:5] and after[5] == "Question a1, typo fixed?"
    assert len(collection.history(card.item_id)) == 1
    assert not sync_deck_folders(collection, [decks_dir]).changed  # idempotent


def test_removed_card_is_retired_and_restored_with_progress(
    collection: Collection, decks_dir: Path
) -> None:
    card = collection.next_card()
    assert card is not None
    collection.answer(card, 5)
    (decks_dir / "alpha.md").write_text(deck_text("Alpha", ["a2", "a3"]))
    report = sync_deck_folders(collection, [decks_dir])
    assert report.retired == 1 and state_of(collection, "a1")[4] == 1
    assert "a1" not in [c.key for c in collection.browse() if not c.retired]
    assert collection.counts().new == 4
    # Moving the card into another deck brings it back with its progress.
    (decks_dir / "beta.md").write_text(deck_text("Beta", ["b1", "b2", "a1"]))
    report = sync_deck_folders(collection, [decks_dir])
    assert report.restored == 1
    restored = state_of(collection, "a1")
    assert restored[4] == 0 and restored[2] == 1
    assert {d.key: d.cards for d in collection.decks()} == {"alpha": 2, "beta": 3}


def test_malformed_deck_is_reported_and_nothing_of_it_retired(
    collection: Collection, decks_dir: Path
) -> None:
    broken = deck_text("Alpha", ["a1", "a2"]) + "## a3\n### Q\nonly a question\n"
    (decks_dir / "alpha.md").write_text(broken)
    (decks_dir / "gamma.md").write_text("no header at all\n")
    report = sync_deck_folders(collection, [decks_dir])
    messages = [str(p) for p in report.problems]
    assert any("alpha.md:" in m and "has no '### A'" in m for m in messages)
    assert any("gamma.md:1:" in m for m in messages)
    assert report.retired == 0 and state_of(collection, "a3")[4] == 0
    assert {d.key for d in collection.decks()} == {"alpha", "beta"}


def test_deleted_deck_file_retires_deck(collection: Collection, decks_dir: Path) -> None:
    (decks_dir / "beta.md").unlink()
    report = sync_deck_folders(collection, [decks_dir])
    assert report.retired == 2
    assert [d.key for d in collection.decks()] == ["alpha"]


def test_bundled_decks_load_cleanly() -> None:
    load = load_decks([bundled_decks_dir()])
    assert [str(p) for p in load.problems] == []
    assert len(load.decks) >= 4
    for deck in load.decks:
        assert len(deck.cards) >= 10, deck.key
        assert all(card.source for card in deck.cards), deck.key


def test_decks_not_from_files_are_left_alone(collection: Collection, decks_dir: Path) -> None:
    with collection.db.transaction() as conn:
        conn.execute(
            "INSERT INTO deck(key, title, description, tags, language, titles_json, source_path, "
            "enabled, retired) VALUES ('imported', 'Imported', '', '', 'en', '{}', '', 1, 0)"
        )
        conn.execute(
            "INSERT INTO item(kind, key, deck_id, position, front, back, texts_json, tags, source,"
            " content_hash, repetitions, ef_hundredths, interval, suspended, retired, added_ms) "
            "SELECT 'card', 'imp-1', id, 0, 'q', 'a', '{}', '', '', '', 0, 250, 0, 0, 0, 0 "
            "FROM deck WHERE key='imported'"
        )
    report = sync_deck_folders(collection, [decks_dir])
    assert report.retired == 0
    assert {d.key for d in collection.decks()} == {"alpha", "beta", "imported"}


def test_a_deck_file_reusing_an_imported_card_id_is_reported_not_a_crash(
    collection: Collection, decks_dir: Path
) -> None:
    from studyapp.core.transfer.import_model import ImportedCard, ImportedDeck, ImportPackage
    from studyapp.core.transfer.importing import import_package

    package = ImportPackage(
        "words.csv",
        decks=[ImportedDeck("csv-words", "Words", [ImportedCard("w-1", "hola", "hello")])],
    )
    import_package(collection, package)
    # The deck exported to Markdown and saved under another name: same card id, other deck key.
    (decks_dir / "copy.md").write_text(deck_text("Copy", ["w-1", "c2"]), encoding="utf-8")
    report = sync_deck_folders(collection, [decks_dir])
    assert [str(p) for p in report.problems] == [
        f"{decks_dir / 'copy.md'}:5: card id 'w-1' is already used by the imported deck 'Words'; "
        "give this card another id (or name the file after that deck's key to take the deck over)"
    ]
    assert report.added == 1  # c2
    rows = collection.db.conn.execute(
        "SELECT d.key, i.front FROM item i JOIN deck d ON d.id = i.deck_id WHERE i.key='w-1'"
    ).fetchall()
    assert rows == [("csv-words", "hola")]
