"""studyapp.resources: every bundled folder is found from a checkout (the tests run from one)."""

from __future__ import annotations

from pathlib import Path
from typing import get_args

import pytest

from studyapp.resources import ICON_SIZES, Bundled, bundled, package_dir

CHECKOUT = Path(__file__).resolve().parents[1]

#: What each folder must hold for the app to work from it.
EXPECTED = {
    "decks": "*.md",
    "exercises": "*/*/exercise.toml",
    "i18n": "studyapp_ru.qm",
    "icons": "studyapp.svg",
    "desktop": "studyapp.desktop",
}


def test_every_bundled_name_is_checked() -> None:
    assert set(get_args(Bundled)) == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bundled_folder_is_found_in_the_source_tree(name: Bundled) -> None:
    folder = bundled(name)
    assert folder.is_dir(), folder
    assert folder.resolve().is_relative_to(CHECKOUT), folder
    assert any(folder.glob(EXPECTED[name])), f"{folder} has no {EXPECTED[name]}"


def test_package_dir_is_the_imported_package() -> None:
    assert package_dir().resolve() == CHECKOUT / "studyapp"


def test_icons_come_in_every_installed_size() -> None:
    for size in ICON_SIZES:
        assert (bundled("icons") / f"studyapp-{size}.png").is_file(), size
