"""Exports: Markdown decks parse back with the same ids and languages; .apkg files are real
Anki packages that carry the cards, their pictures and stable ids; the collection backup."""

from __future__ import annotations

import gzip
import html
import json
import re
import sqlite3
import zipfile
from pathlib import Path

import pytest

from studyapp.core.collection import Collection
from studyapp.core.decks.format import parse_deck
from studyapp.core.decks.sync import bundled_decks_dir, sync_deck_folders
from studyapp.core.rendering.render import LIGHT, Renderer
from studyapp.core.storage.paths import DataPaths
from studyapp.core.transfer.exporting import (
    ExportFailed,
    export_collection,
    export_deck,
    export_deck_apkg,
    export_deck_markdown,
    markdown_card_id,
)
from studyapp.core.transfer.import_model import (
    ImportedCard,
    ImportedDeck,
    ImportedMedia,
    ImportPackage,
)
from studyapp.core.transfer.importing import import_package

PNG = b"\x89PNG\r\n\x1a\n" + b"\x03" * 24
TRICKY = [
    ImportedCard("csv-mixed-1", "What is $x^2$ at 3?", "**9**\n\n![](dot.png)", ("maths",)),
    ImportedCard("anki-AbC/+x-0", "## Not a heading\nreally", "```\n## code stays\n```"),
    ImportedCard("anki-abc/+x-0", "Кто?", "Я", ("ru", "two words")),
]


@pytest.fixture
def imported(collection: Collection) -> Collection:
    package = ImportPackage(
        "t.apkg",
        [ImportedDeck("mixed", "Mixed: deck", TRICKY, "Bits\nand pieces")],
        [ImportedMedia("dot.png", PNG)],
    )
    import_package(collection, package)
    return collection


def test_markdown_export_parses_back_with_every_language(
    collection: Collection, tmp_path: Path
) -> None:
    dest = tmp_path / "out" / "alpha.md"
    summary = export_deck_markdown(collection, "alpha", dest)
    assert summary.cards == 3 and dest.is_file()
    deck, problems = parse_deck(dest)
    assert problems == [] and deck is not None
    assert deck.title == "Alpha" and [c.id for c in deck.cards] == ["a1", "a2", "a3"]
    first = deck.cards[0]
    assert first.texts["en"].front == "Question a1?" and first.texts["ru"].back == "Ответ a1."
    assert not list(dest.parent.glob(".*"))  # no partial file left behind


def test_imported_deck_exports_to_markdown_and_back(imported: Collection, tmp_path: Path) -> None:
    dest = tmp_path / "mixed.md"
    export_deck_markdown(imported, "mixed", dest)
    deck, problems = parse_deck(dest)
    assert problems == [] and deck is not None
    assert deck.title == "Mixed: deck" and deck.description == "Bits and pieces"
    ids = [c.id for c in deck.cards]
    assert ids == [markdown_card_id(c.key) for c in TRICKY]
    assert ids[0] == "csv-mixed-1" and len(set(ids)) == 3  # case-only differences stay apart
    assert deck.cards[0].texts["en"].front == TRICKY[0].front
    assert deck.cards[0].tags == ("maths",)
    assert deck.cards[1].texts["en"].front == "\\## Not a heading\nreally"  # shown as text
    assert deck.cards[1].texts["en"].back == TRICKY[1].back
    assert deck.cards[2].texts["en"].front == "Кто?"


def test_apkg_is_an_anki_package_with_cards_media_and_stable_ids(
    imported: Collection, tmp_path: Path
) -> None:
    first, second = tmp_path / "a.apkg", tmp_path / "b.apkg"
    summary = export_deck_apkg(imported, "mixed", first)
    assert (summary.cards, summary.media) == (3, 1)
    export_deck_apkg(imported, "mixed", second)

    def read(path: Path) -> tuple[list[tuple], dict, dict, bytes]:
        with zipfile.ZipFile(path) as archive:
            media = json.loads(archive.read("media"))
            picture = archive.read(next(iter(media)))
            db = tmp_path / f"{path.stem}.anki2"
            db.write_bytes(archive.read("collection.anki2"))
        conn = sqlite3.connect(db)
        try:
            notes = conn.execute("SELECT guid, mid, flds, tags FROM notes ORDER BY id").fetchall()
            decks = json.loads(conn.execute("SELECT decks FROM col").fetchone()[0])
        finally:
            conn.close()
        return notes, decks, media, picture

    notes, decks, media, picture = read(first)
    assert list(media.values()) == ["dot.png"] and picture == PNG
    assert "Mixed: deck" in [d["name"] for d in decks.values()]
    fronts = [n[2].split("\x1f") for n in notes]
    assert fronts[0][0] == "<p>What is \\(x^2\\) at 3?</p>"  # MathJax, which Anki typesets
    assert '<img alt="" src="dot.png">' in fronts[0][1] and "<strong>9</strong>" in fronts[0][1]
    assert notes[2][3].split() == ["ru", "two_words"]
    again, decks_again, _, _ = read(second)
    assert [(n[0], n[1]) for n in again] == [(n[0], n[1]) for n in notes]  # same guids, model
    assert decks_again.keys() == decks.keys()


def visible(markdown_text: str) -> str:
    """What a card shows, as text: formulas as TeX, tags and spacing differences ignored."""
    fragment = Renderer(export=True).markdown_to_html(markdown_text, LIGHT)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


def test_apkg_round_trips_through_the_anki_reader(imported: Collection, tmp_path: Path) -> None:
    from studyapp.core.transfer.anki.package import read_anki_package

    sync_deck_folders(imported, [bundled_decks_dir()])
    for deck_key in ("mixed", "self-attention"):
        dest = tmp_path / f"{deck_key}.apkg"
        export_deck_apkg(imported, deck_key, dest)
        package = read_anki_package(dest)
        [deck] = package.decks
        ours = imported.db.conn.execute(
            "SELECT i.front, i.back FROM item i JOIN deck d ON d.id = i.deck_id "
            "WHERE d.key = ? AND NOT i.retired ORDER BY i.position, i.id",
            (deck_key,),
        ).fetchall()
        theirs = [(c.front, c.back) for c in deck.cards]
        assert len(theirs) == len(ours) > 0
        for (front, back), (front2, back2) in zip(ours, theirs, strict=True):
            assert (visible(front2), visible(back2)) == (visible(front), visible(back))
    # The mixed deck's picture and its title come back too.
    package = read_anki_package(tmp_path / "mixed.apkg")
    assert package.decks[0].title == "Mixed: deck"
    assert [(m.name, m.data) for m in package.media] == [("dot.png", PNG)]
    assert package.decks[0].cards[0].front == "What is $x^2$ at 3?"
    assert package.decks[0].cards[2].back == "Я"


def test_export_deck_picks_the_format_by_name(imported: Collection, tmp_path: Path) -> None:
    assert export_deck(imported, "mixed", tmp_path / "x.md").path.read_text().startswith("---")
    assert zipfile.is_zipfile(export_deck(imported, "mixed", tmp_path / "x.apkg").path)
    with pytest.raises(ExportFailed, match=r"\.apkg \(Anki\) or \.md"):
        export_deck(imported, "mixed", tmp_path / "x.pdf")
    with pytest.raises(ExportFailed, match=r"no deck 'nope' \(decks: alpha, beta, mixed\)"):
        export_deck(imported, "nope", tmp_path / "x.md")
    assert not (tmp_path / "x.pdf").exists()


def test_collection_export_is_one_backup_file(imported: Collection, tmp_path: Path) -> None:
    dest = export_collection(imported.path, tmp_path / "all.studyapp-backup")
    copy = tmp_path / "copy.sqlite"
    copy.write_bytes(gzip.decompress(dest.read_bytes()))
    conn = sqlite3.connect(copy)
    try:
        assert conn.execute("SELECT count(*) FROM item WHERE kind = 'card'").fetchone() == (8,)
    finally:
        conn.close()
    assert DataPaths(imported.path.parent).media.joinpath("dot.png").is_file()
