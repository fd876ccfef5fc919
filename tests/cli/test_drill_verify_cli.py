"""`studyapp drill verify PATH`: one exercise folder, checked as the bundled ones are, including
its Russian statement (issue 15: the checker fails when README.ru.md is missing or differs)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

EXERCISE = Path(__file__).parents[2] / "exercises" / "algorithms" / "valid-parentheses"


def _verify(*paths: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "studyapp", "drill", "verify", *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def exercise(tmp_path: Path) -> Path:
    folder = tmp_path / "algorithms" / "valid-parentheses"
    shutil.copytree(EXERCISE, folder)
    return folder


def test_a_copied_exercise_verifies(exercise: Path) -> None:
    result = _verify(exercise)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 exercises, 0 surprises" in result.stdout
    assert "SURPRISE" not in result.stdout


def test_a_missing_russian_statement_fails_and_is_named(exercise: Path) -> None:
    (exercise / "README.ru.md").unlink()
    result = _verify(exercise.parent.parent)  # a folder of tracks works as well
    assert result.returncode == 1
    assert f"problem: {exercise / 'README.ru.md'}: missing" in result.stdout


def test_a_russian_code_block_that_differs_fails(exercise: Path) -> None:
    ru = exercise / "README.ru.md"
    text = ru.read_text(encoding="utf-8")
    ru.write_text(text.replace("def is_valid", "def is_valid_ru", 1), encoding="utf-8")
    result = _verify(exercise)
    assert result.returncode == 1
    assert "code block" in result.stdout and "README.ru.md" in result.stdout


def test_a_path_that_is_not_an_exercise_is_a_clear_problem(tmp_path: Path) -> None:
    result = _verify(tmp_path / "nowhere")
    assert result.returncode == 1
    assert "not a folder" in result.stdout
    assert "Traceback" not in result.stderr
