"""The deck parser: what authors write, and how their mistakes are reported (file:line)."""

from pathlib import Path

from studyapp.core.decks.format import deck_files, load_decks, parse_deck

GOOD = """---
title: RNN vs attention
title.ru: RNN и внимание
description: Why RNNs struggle.
tags: rnn
---

## rnn-long-range
tags: gradients
source: Bengio et al. (1994)

### Q
Why do RNNs struggle with *long* sequences?

### A
Gradients pass through many steps:

```python
## this is a comment, not a card
h = tanh(W @ h + U @ x)
```

### Q ru
Почему RNN плохо работают с длинными последовательностями?

### A ru
Градиент проходит через много шагов.

## rnn-parallel

### Q
Can an RNN be parallelised over time?

### A
No: $h_t$ needs $h_{t-1}$.
"""


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_parses_header_cards_languages_and_fenced_headings(tmp_path: Path) -> None:
    deck, problems = parse_deck(write(tmp_path, "rnn.md", GOOD))
    assert problems == []
    assert deck is not None
    assert (deck.key, deck.title, deck.titles["ru"]) == (
        "rnn",
        "RNN vs attention",
        "RNN и внимание",
    )
    assert [c.id for c in deck.cards] == ["rnn-long-range", "rnn-parallel"]
    first = deck.cards[0]
    assert first.tags == ("rnn", "gradients") and first.source == "Bengio et al. (1994)"
    assert "## this is a comment" in first.primary.back
    assert first.text("ru").front.startswith("Почему RNN")
    assert deck.cards[1].text("ru") == deck.cards[1].primary  # falls back to English
    assert first.line == 8


def test_malformed_card_is_skipped_with_file_and_line(tmp_path: Path) -> None:
    text = GOOD.replace("### A\nNo: $h_t$", "### X\nNo: $h_t$").replace(
        "## rnn-parallel", "## rnn-parallel\nstray words here"
    )
    path = write(tmp_path, "rnn.md", text)
    deck, problems = parse_deck(path)
    assert deck is not None and [c.id for c in deck.cards] == ["rnn-long-range"]
    messages = [str(p) for p in problems]
    line = text.splitlines().index("stray words here") + 1
    assert any(m.startswith(f"{path}:{line}:") and "stray words" in m for m in messages)
    assert any("has no '### A'" in m for m in messages)


def test_broken_header_skips_deck(tmp_path: Path) -> None:
    deck, problems = parse_deck(write(tmp_path, "bad.md", "---\ntitel: x\n---\n"))
    assert deck is None
    assert (problems[0].line, "unknown header key 'titel'" in problems[0].message) == (2, True)
    deck, problems = parse_deck(write(tmp_path, "nohead.md", "## a\n### Q\nq\n### A\na\n"))
    assert deck is None and problems[0].line == 1


def test_unclosed_fence_and_lonely_translation(tmp_path: Path) -> None:
    text = """---
title: T
---
## a
### Q
q
### A
```python
x = 1
## b
### Q
q2
### A
a2
"""
    deck, problems = parse_deck(write(tmp_path, "t.md", text))
    assert deck is not None and deck.cards == ()
    assert any(p.line == 8 and "never closed" in p.message for p in problems)
    text2 = "---\ntitle: T\n---\n## a\n### Q\nq\n### A\na\n### Q ru\nв\n"
    deck, problems = parse_deck(write(tmp_path, "t2.md", text2))
    assert deck is not None and deck.cards == ()
    assert any("has no '### A ru'" in p.message for p in problems)


def test_duplicate_id_across_files_names_both_places(tmp_path: Path) -> None:
    a = write(tmp_path / "bundled", "a.md", GOOD)
    b = write(tmp_path / "user", "b.md", GOOD.replace("rnn-long-range", "other"))
    load = load_decks([tmp_path / "bundled", tmp_path / "user"])
    assert [d.key for d in load.decks] == ["a", "b"]
    assert [c.id for c in load.decks[1].cards] == ["other"]
    (problem,) = load.problems
    assert problem.path == b and problem.line == 29
    assert f"{a}:29" in problem.message
    assert load.clean_deck_keys() == {"a"}


def test_duplicate_deck_key_and_ignored_files(tmp_path: Path) -> None:
    write(tmp_path / "x", "a.md", GOOD)
    write(tmp_path / "x", "README.md", "# docs")
    write(tmp_path / "x", "_draft.md", "junk")
    write(tmp_path / "y", "a.md", GOOD)
    assert [p.name for p in deck_files(tmp_path / "x")] == ["a.md"]
    load = load_decks([tmp_path / "x", tmp_path / "y"])
    assert len(load.decks) == 1
    assert "already defined" in load.problems[0].message


def test_content_hash_changes_with_text_only(tmp_path: Path) -> None:
    d1, _ = parse_deck(write(tmp_path / "1", "a.md", GOOD))
    d2, _ = parse_deck(write(tmp_path / "2", "a.md", GOOD.replace("*long*", "**long**")))
    d3, _ = parse_deck(write(tmp_path / "3", "a.md", GOOD))
    assert d1 and d2 and d3
    assert d1.cards[0].content_hash() != d2.cards[0].content_hash()
    assert d1.cards[0].content_hash() == d3.cards[0].content_hash()
    assert d1.cards[1].content_hash() == d2.cards[1].content_hash()


def test_missing_user_folder_is_empty_but_missing_file_is_reported(tmp_path: Path) -> None:
    load = load_decks([tmp_path / "no-such-folder"])
    assert (load.decks, load.problems) == ([], [])
    load = load_decks([tmp_path / "gone.md"])
    assert [p.message for p in load.problems] == ["no such file"]
