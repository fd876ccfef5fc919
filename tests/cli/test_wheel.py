"""The wheel is the app: it carries the decks, the exercises, the translations, the icons and the
desktop entry inside the package (pyproject.toml, hatchling force-include), and not the
README's screenshots. .ci/wheel-check installs it and runs it; this checks its file list."""

from __future__ import annotations

import fnmatch
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

CHECKOUT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.slow, pytest.mark.subprocess]


@pytest.fixture(scope="module")
def wheel_files(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    out = tmp_path_factory.mktemp("dist")
    build = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out)],
        cwd=CHECKOUT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert build.returncode == 0, build.stdout + build.stderr
    (wheel,) = out.glob("studyapp-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        return archive.namelist()


@pytest.mark.parametrize(
    "pattern",
    [
        "studyapp/__init__.py",
        "studyapp/py.typed",
        "studyapp/bundled/decks/*.md",
        "studyapp/bundled/exercises/*/*/exercise.toml",
        "studyapp/bundled/exercises/numpy-ml/softmax/solution.py",
        "studyapp/bundled/i18n/studyapp_ru.qm",
        "studyapp/bundled/icons/studyapp.svg",
        "studyapp/bundled/icons/studyapp-16.png",
        "studyapp/bundled/icons/studyapp-256.png",
        "studyapp/bundled/desktop/studyapp.desktop",
        "studyapp-*.dist-info/entry_points.txt",
    ],
)
def test_the_wheel_carries(wheel_files: list[str], pattern: str) -> None:
    assert fnmatch.filter(wheel_files, pattern), pattern


def test_every_deck_and_exercise_file_is_in_the_wheel(wheel_files: list[str]) -> None:
    for top, inside in (("decks", "decks"), ("exercises", "exercises")):
        tracked = subprocess.run(
            ["git", "ls-files", top], cwd=CHECKOUT, capture_output=True, text=True, check=True
        ).stdout.split()
        if not tracked:
            pytest.skip("not a git checkout")
        shipped = {name for name in wheel_files if name.startswith(f"studyapp/bundled/{inside}/")}
        missing = {
            f"studyapp/bundled/{inside}/{Path(path).relative_to(top)}" for path in tracked
        } - shipped
        assert not missing, sorted(missing)[:5]


def test_the_wheel_leaves_out_screenshots_and_caches(wheel_files: list[str]) -> None:
    unwanted = [
        name
        for name in wheel_files
        if "screenshots" in name or "__pycache__" in name or name.endswith(".pyc")
    ]
    assert unwanted == []
    assert not any(name.startswith(("decks/", "exercises/", "resources/")) for name in wheel_files)
