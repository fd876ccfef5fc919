"""Translated statements: which file is shown, and the checker that keeps code blocks identical."""

from __future__ import annotations

from pathlib import Path

import pytest

from studyapp.core.drills.catalog import bundled_exercises_dir, load_catalog
from studyapp.core.drills.i18n import code_blocks, statement_path, translation_problems

ENGLISH = """\
# Softmax

Implement softmax:

```python
def softmax(z: np.ndarray) -> np.ndarray: ...
```

## Conventions

- Subtract the maximum first, so that large scores
  do not overflow.
- The formula:

      softmax(z)_i = exp(z_i) / sum_j exp(z_j)

## Worked example

~~~python
>>> softmax(np.array([0.0, 0.0]))
array([0.5, 0.5])
~~~
"""

RUSSIAN = """\
# Softmax

Реализуйте softmax:

```python
def softmax(z: np.ndarray) -> np.ndarray: ...
```

## Соглашения

- Сначала вычтите максимум, чтобы большие оценки
  не приводили к переполнению.
- Формула:

      softmax(z)_i = exp(z_i) / sum_j exp(z_j)

## Разобранный пример

~~~python
>>> softmax(np.array([0.0, 0.0]))
array([0.5, 0.5])
~~~
"""


def exercise(tmp_path: Path, english: str = ENGLISH, **translations: str) -> Path:
    folder = tmp_path / "numpy-ml" / "softmax"
    folder.mkdir(parents=True)
    (folder / "README.md").write_text(english, encoding="utf-8")
    for lang, text in translations.items():
        (folder / f"README.{lang}.md").write_text(text, encoding="utf-8")
    return folder


def test_statement_in_russian_when_translated(tmp_path: Path) -> None:
    folder = exercise(tmp_path, ru=RUSSIAN)
    assert statement_path(folder, "ru") == folder / "README.ru.md"
    assert statement_path(folder, "RU") == folder / "README.ru.md"
    assert statement_path(folder, "en") == folder / "README.md"


def test_statement_falls_back_to_english(tmp_path: Path) -> None:
    folder = exercise(tmp_path)
    assert statement_path(folder, "ru") == folder / "README.md"
    (folder / "README.en.md").write_text("stray", encoding="utf-8")
    assert statement_path(folder, "en") == folder / "README.md"


def test_code_blocks_fenced_and_indented_in_order() -> None:
    assert code_blocks(ENGLISH) == [
        "```python\ndef softmax(z: np.ndarray) -> np.ndarray: ...\n```",
        "      softmax(z)_i = exp(z_i) / sum_j exp(z_j)",
        "~~~python\n>>> softmax(np.array([0.0, 0.0]))\narray([0.5, 0.5])\n~~~",
    ]


def test_code_blocks_ignore_prose_that_merely_looks_indented() -> None:
    text = (
        "A paragraph\n"
        "    continued with four spaces is still the paragraph.\n"
        "\n"
        "- `put(key, value)`:\n"
        "  - if the key is present, update it\n"
        "    and keep the size;\n"
        "\n"
        "    a second paragraph of the same item.\n"
        "1. Numbered item\n"
        "     wrapped deeper.\n"
        "\n"
        "Spans like ```inline``` and `x` are not blocks.\n"
    )
    assert code_blocks(text) == []


def test_code_blocks_fence_rules() -> None:
    text = (
        "````markdown\n```python\nx = 1\n```\n````\n"
        "\n"
        "Text.\n"
        "\n"
        "    indented\n"
        "\n"
        "    after a blank line, same block\n"
        "Paragraph.\n"
        "~~~\nnever closed\n```\n"
    )
    assert code_blocks(text) == [
        "````markdown\n```python\nx = 1\n```\n````",
        "    indented\n\n    after a blank line, same block",
        "~~~\nnever closed\n```",
    ]


def test_faithful_translation_has_no_problems(tmp_path: Path) -> None:
    assert translation_problems(exercise(tmp_path, ru=RUSSIAN)) == []


def test_missing_translation_is_named(tmp_path: Path) -> None:
    folder = exercise(tmp_path)
    problems = translation_problems(folder)
    assert len(problems) == 1
    assert str(folder / "README.ru.md") in problems[0]
    assert "missing" in problems[0]


@pytest.mark.parametrize("text", ["", "  \n\n"])
def test_empty_translation_is_named(tmp_path: Path, text: str) -> None:
    folder = exercise(tmp_path, ru=text)
    assert translation_problems(folder) == [f"{folder / 'README.ru.md'}: empty"]


def test_translated_code_is_reported_with_block_and_lines(tmp_path: Path) -> None:
    changed = RUSSIAN.replace("array([0.5, 0.5])", "массив([0.5, 0.5])")
    folder = exercise(tmp_path, ru=changed)
    [problem] = translation_problems(folder)
    ru_path = folder / "README.ru.md"
    assert problem.startswith(f"{ru_path}:19: code block 3 differs from README.md:19")
    assert "its line 3" in problem
    assert "'массив([0.5, 0.5])' here" in problem
    assert "'array([0.5, 0.5])' in README.md" in problem


def test_every_differing_block_is_reported(tmp_path: Path) -> None:
    changed = RUSSIAN.replace("np.ndarray: ...", "np.ndarray: pass").replace("sum_j", "Σ_j")
    problems = translation_problems(exercise(tmp_path, ru=changed))
    assert [p.split(": code block ")[1][:1] for p in problems] == ["1", "2"]


def test_dropped_block_is_reported_once_with_where_they_part(tmp_path: Path) -> None:
    dropped = RUSSIAN.replace("      softmax(z)_i = exp(z_i) / sum_j exp(z_j)\n", "")
    folder = exercise(tmp_path, ru=dropped)
    assert translation_problems(folder) == [
        f"{folder / 'README.ru.md'}: 2 code blocks, README.md has 3; "
        "the first that differs is block 2 (line 18 here, README.md:15)"
    ]


def test_extra_block_at_the_end_is_reported(tmp_path: Path) -> None:
    folder = exercise(tmp_path, ru=RUSSIAN + "\n```\nextra\n```\n")
    [problem] = translation_problems(folder)
    assert "4 code blocks, README.md has 3" in problem
    assert "block 4 (line 24 here, not in README.md)" in problem


def test_translated_prose_and_languages(tmp_path: Path) -> None:
    folder = exercise(tmp_path, ru=RUSSIAN)
    assert translation_problems(folder, languages=("en", "ru")) == []
    [problem] = translation_problems(folder, languages=("ru", "de"))
    assert "README.de.md: missing" in problem


def test_unreadable_translation_is_named(tmp_path: Path) -> None:
    folder = exercise(tmp_path)
    (folder / "README.ru.md").write_bytes(b"\xff\xfe not utf-8")
    [problem] = translation_problems(folder)
    assert problem.startswith(f"{folder / 'README.ru.md'}: not UTF-8 text")


def test_every_bundled_exercise_has_a_faithful_russian_statement() -> None:
    exercises, load_problems = load_catalog()
    assert load_problems == []
    assert exercises, f"no exercises under {bundled_exercises_dir()}"
    problems = [p for e in exercises for p in translation_problems(e.folder)]
    assert problems == []
