"""CSV/TSV files become one deck of cards; anything malformed is refused by line."""

from __future__ import annotations

from pathlib import Path

import pytest

from studyapp.core.collection import Collection
from studyapp.core.transfer.csv_import import deck_key_for_title, read_csv_file
from studyapp.core.transfer.import_model import ImportFailed
from studyapp.core.transfer.importing import import_package, read_import_file
from tests.core.import_helpers import dump, write


def test_csv_with_header_quotes_newlines_and_tags(tmp_path: Path) -> None:
    path = write(
        tmp_path / "words.csv",
        "\ufefffront,back,tags\r\n"
        "What is 2+2?,4,maths basics\r\n"
        '"Multi, line","first\nsecond",\r\n'
        "\r\n"
        "Привет,Hello,ru\r\n",
    )
    package = read_csv_file(path, deck_title="My words")
    [deck] = package.decks
    assert deck.title == "My words" and deck.key == "csv-my-words"
    fronts = [(c.front, c.back, c.tags) for c in deck.cards]
    assert fronts == [
        ("What is 2+2?", "4", ("maths", "basics")),
        ("Multi, line", "first\nsecond", ()),
        ("Привет", "Hello", ("ru",)),
    ]
    assert len({c.key for c in deck.cards}) == 3


def test_tsv_without_header_and_txt_is_sniffed(tmp_path: Path) -> None:
    tsv = write(tmp_path / "a.tsv", "q1\ta1\nq2\ta, with comma\n")
    cards = read_csv_file(tsv).decks[0].cards
    assert [(c.front, c.back) for c in cards] == [("q1", "a1"), ("q2", "a, with comma")]
    assert read_csv_file(tsv).decks[0].title == "a"  # the file name when no deck is picked
    txt = write(tmp_path / "b.txt", "one;uno\ntwo;dos\nthree;tres\n")
    assert [c.back for c in read_csv_file(txt).decks[0].cards] == ["uno", "dos", "tres"]


def test_keys_are_stable_and_depend_on_the_front(tmp_path: Path) -> None:
    first = read_csv_file(write(tmp_path / "x.csv", "q,a\n"), deck_title="D").decks[0].cards[0]
    again = read_csv_file(write(tmp_path / "y.csv", "q,other\n"), deck_title="D").decks[0].cards[0]
    other = read_csv_file(write(tmp_path / "z.csv", "q2,a\n"), deck_title="D").decks[0].cards[0]
    assert first.key == again.key != other.key
    assert deck_key_for_title("Слова") != deck_key_for_title("Числа")
    assert deck_key_for_title("Слова").startswith("csv-")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "is empty"),
        ("\ufeff  \n\n", "is empty"),
        ("front,back\n", "header row but no cards"),
        ("q,a\nq2,a2,t,extra\nq3\n", "line 2 has 4 column(s), expected 2; line 3 has 1 column(s)"),
        ("only one column\n", "x.csv:1: expected 2 or 3 columns"),
        ("q,a\n,a2\n", "line 2 has an empty front"),
        ('q,a\n"unclosed,a\n', "x.csv:2: cannot read this row"),
    ],
)
def test_bad_files_are_refused_with_the_line(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path / "x.csv", text)
    with pytest.raises(ImportFailed, match=r"x\.csv") as info:
        read_csv_file(path)
    assert message in str(info.value)


def test_many_bad_lines_are_summarised(tmp_path: Path) -> None:
    rows = "q,a\n" + "".join(f"q{i},a,b,c\n" for i in range(9))
    with pytest.raises(ImportFailed) as info:
        read_csv_file(write(tmp_path / "x.csv", rows))
    assert "line 2 has 4" in str(info.value) and "and 4 more" in str(info.value)


def test_not_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes("q,a\nq2,caf\xe9\n".encode("latin-1"))
    with pytest.raises(ImportFailed, match=r"x.csv:2: the file is not UTF-8"):
        read_csv_file(path)


def test_duplicate_front_is_skipped_with_a_warning(tmp_path: Path) -> None:
    package = read_csv_file(write(tmp_path / "x.csv", "q,a\nq,b\n"))
    assert [c.back for c in package.decks[0].cards] == ["a"]
    assert package.warnings and "x.csv:2" in package.warnings[0]


@pytest.mark.parametrize(
    "text", ["", "q,a\nq2,a2,tags,extra\n", "q,a\n,empty front\n"], ids=["empty", "cols", "front"]
)
def test_bad_csv_leaves_the_collection_unchanged(
    tmp_path: Path, collection: Collection, text: str
) -> None:
    before = dump(collection)
    path = write(tmp_path / "bad.csv", text)
    with pytest.raises(ImportFailed):
        import_package(collection, read_import_file(path, deck="Bad"))
    assert dump(collection) == before


def test_unknown_file_type_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "notes.docx", "x")
    with pytest.raises(ImportFailed, match=r"notes.docx: cannot import this kind of file"):
        read_import_file(path)
    with pytest.raises(ImportFailed, match="no such file"):
        read_import_file(tmp_path / "missing.csv")
