"""``studyapp import`` / ``studyapp export`` as a user runs them, on a real data folder."""

from __future__ import annotations

import gzip
import zipfile
from pathlib import Path

import pytest

from studyapp.cli import main
from studyapp.core.collection import Collection
from studyapp.core.decks.format import parse_deck
from tests.core.import_helpers import dump, write


def run(capsys: pytest.CaptureFixture[str], data: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data), *args])
    out, err = capsys.readouterr()
    return code, out, err


def snapshot(data: Path) -> dict[str, object]:
    collection = Collection.open(data)
    try:
        return dump(collection)
    finally:
        collection.close()


def test_import_csv_then_export_it_both_ways(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    csv = write(tmp_path / "words.csv", "front,back,tags\nhola,hello,es\nadiós,goodbye,es\n")
    code, out, err = run(capsys, data, "import", str(csv), "--deck", "Spanish words")
    assert code == 0, err
    assert "2 card(s) added" in out and "deck: Spanish words" in out
    code, out, _ = run(capsys, data, "import", str(csv), "--deck", "Spanish words")
    assert code == 0 and "0 card(s) added, 0 updated, 2 unchanged" in out

    md = tmp_path / "out" / "csv-spanish-words.md"
    code, out, err = run(capsys, data, "export", "deck", "csv-spanish-words", "--to", str(md))
    assert code == 0, err
    assert "Exported 2 card(s) and 0 media file(s)" in out
    deck, problems = parse_deck(md)
    assert problems == [] and deck is not None
    assert [c.texts["en"].front for c in deck.cards] == ["hola", "adiós"]

    apkg = tmp_path / "out" / "spanish.apkg"
    code, _, err = run(capsys, data, "export", "deck", "csv-spanish-words", "--to", str(apkg))
    assert code == 0, err
    assert zipfile.is_zipfile(apkg)

    backup = tmp_path / "out" / "all.studyapp-backup"
    code, out, err = run(capsys, data, "export", "collection", str(backup))
    assert code == 0, err
    assert "Exported the collection" in out
    assert gzip.decompress(backup.read_bytes())[:16] == b"SQLite format 3\x00"


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("empty.csv", "", "empty.csv: the file is empty"),
        ("cols.csv", "q,a\nq2,a2,t\nq3,a3\n", "line 2 has 3 column(s), expected 2"),
        ("notes.pdf", "%PDF", "cannot import this kind of file"),
    ],
)
def test_bad_import_exits_1_with_the_reason_and_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, text: str, message: str
) -> None:
    data = tmp_path / "data"
    assert run(capsys, data, "decks", "list")[0] == 0
    before = snapshot(data)
    code, out, err = run(capsys, data, "import", str(write(tmp_path / name, text)))
    assert code == 1 and message in err and out == ""
    assert snapshot(data) == before


def test_export_refuses_unknown_decks_and_formats(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    code, _, err = run(capsys, data, "export", "deck", "nope", "--to", str(tmp_path / "x.md"))
    assert code == 1 and "no deck 'nope'" in err and "self-attention" in err
    code, _, err = run(
        capsys, data, "export", "deck", "self-attention", "--to", str(tmp_path / "x.docx")
    )
    assert code == 1 and ".apkg (Anki) or .md" in err
    assert not (tmp_path / "x.md").exists() and not (tmp_path / "x.docx").exists()
    code, _, err = run(capsys, tmp_path / "nothing", "export", "collection", str(tmp_path / "c"))
    assert code == 1 and "there is no collection" in err


def test_exported_apkg_imports_back(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("studyapp.core.transfer.anki.package")
    data = tmp_path / "data"
    apkg = tmp_path / "sa.apkg"
    assert run(capsys, data, "export", "deck", "self-attention", "--to", str(apkg))[0] == 0
    code, out, err = run(capsys, tmp_path / "other", "import", str(apkg))
    assert code == 0, err
    assert "deck: Self-attention" in out and " 0 card(s) added" not in out
