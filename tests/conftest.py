"""Shared fixtures: an injectable clock and real collections in temporary folders."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["LC_ALL"] = "en_US.UTF-8"  # the system language decides the card language

from studyapp.core.collection import Collection
from studyapp.core.decks.sync import sync_deck_folders

UTC = UTC


class FakeClock:
    """A clock the test moves by hand; starts on 2026-03-02 10:00 UTC."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 3, 2, 10, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


def deck_text(title: str, ids: list[str], extra: str = "") -> str:
    """A small valid deck with one card per id."""
    cards = "\n".join(
        f"## {i}\n\n### Q\nQuestion {i}?\n\n### A\nAnswer {i}.\n\n### Q ru\nВопрос {i}?\n\n"
        f"### A ru\nОтвет {i}.\n"
        for i in ids
    )
    return f"---\ntitle: {title}\n---\n\n{cards}{extra}"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def decks_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / "alpha.md").write_text(deck_text("Alpha", ["a1", "a2", "a3"]), encoding="utf-8")
    (folder / "beta.md").write_text(deck_text("Beta", ["b1", "b2"]), encoding="utf-8")
    return folder


@pytest.fixture
def collection(tmp_path: Path, clock: FakeClock, decks_dir: Path) -> Iterator[Collection]:
    col = Collection.open(tmp_path / "data", clock=clock)
    report = sync_deck_folders(col, [decks_dir])
    assert report.problems == []
    yield col
    col.close()
