"""Bilingual cards and a Russian interface: the card language setting, the flip key, and a Qt
translation that covers every visible string."""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from studyapp.ui.app import TRANSLATIONS_DIR, install_translations
from studyapp.ui.main_window import MainWindow
from tests.conftest import FakeClock
from tests.ui.test_review_window import card_text, settle

ROOT = Path(__file__).resolve().parents[2]
TS = TRANSLATIONS_DIR / "studyapp_ru.ts"


def open_window(qtbot: QtBot, tmp_path: Path, decks_dir: Path, clock: FakeClock) -> MainWindow:
    win = MainWindow(
        tmp_path / "data", deck_folders=[decks_dir], exercises_dir=tmp_path / "none", clock=clock
    )
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.session is not None and win.worker.idle, timeout=15000)
    return win


def test_flip_shows_the_card_in_its_other_language(
    qtbot: QtBot, tmp_path: Path, decks_dir: Path, clock: FakeClock
) -> None:
    win = open_window(qtbot, tmp_path, decks_dir, clock)
    view = win.review_view
    assert "Question a1?" in card_text(win)
    assert view.flip_button.isVisible() and view.flip_button.text() == "RU"
    qtbot.keyClick(view, Qt.Key.Key_L)
    settle(qtbot, win)
    assert "Вопрос a1?" in card_text(win) and view.flip_button.text() == "EN"
    qtbot.keyClick(view, Qt.Key.Key_Space)
    qtbot.mouseClick(view.flip_button, Qt.MouseButton.LeftButton)
    settle(qtbot, win)
    assert "Answer a1." in card_text(win) and view.revealed  # stays revealed
    qtbot.keyClick(view, Qt.Key.Key_5)
    settle(qtbot, win)
    assert "Question a2?" in card_text(win)  # the next card is in the chosen language again
    win.close()


def test_card_language_setting(
    qtbot: QtBot, tmp_path: Path, decks_dir: Path, clock: FakeClock
) -> None:
    win = open_window(qtbot, tmp_path, decks_dir, clock)
    session = win.session
    assert session is not None
    win.worker.run_sync(lambda: session.collection.update_settings(language="ru"))
    win.refresh_review()
    settle(qtbot, win)
    assert "Вопрос a1?" in card_text(win)
    win.close()


@pytest.fixture
def russian() -> Iterator[None]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    translators = install_translations(app, QLocale("ru_RU"))
    assert translators, "the Russian .qm file did not load"
    yield
    for translator in translators:
        app.removeTranslator(translator)


def test_interface_in_russian(
    qtbot: QtBot, tmp_path: Path, decks_dir: Path, clock: FakeClock, russian: None
) -> None:
    win = open_window(qtbot, tmp_path, decks_dir, clock)
    view = win.review_view
    assert view.reveal_button.text() == "Показать ответ  (Пробел)"
    assert win.nav.item(0).text() == "Повторение" and win.nav.item(1).text() == "Колоды"
    assert "Новые 5" in view.counts_label.text()
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert view.grade_buttons[5].text() == "5  Отлично\n1 дн."
    assert "ещё раз сегодня" in view.grade_buttons[2].text()
    menus = [a.text() for a in win.menuBar().actions()]
    assert menus == ["&Файл", "&Правка", "&Вид", "&Справка"]
    win.close()


def test_every_string_has_a_russian_translation() -> None:
    messages = ET.parse(TS).getroot().iter("message")
    untranslated = [
        m.findtext("source")
        for m in messages
        if not (m.findtext("translation") or "").strip()
        or m.find("translation").get("type") == "unfinished"  # type: ignore[union-attr]
    ]
    assert untranslated == []


def test_translation_file_covers_the_current_sources(tmp_path: Path) -> None:
    """lupdate finds no string in the code that the shipped .ts does not have."""
    fresh = tmp_path / "fresh.ts"
    lupdate = Path(__import__("PySide6").__file__).parent / "lupdate"
    sources = sorted(str(p) for p in (ROOT / "studyapp" / "ui").glob("*.py"))
    subprocess.run([str(lupdate), *sources, "-ts", str(fresh)], check=True, capture_output=True)
    found = {m.findtext("source") for m in ET.parse(fresh).getroot().iter("message")}
    shipped = {m.findtext("source") for m in ET.parse(TS).getroot().iter("message")}
    assert found - shipped == set(), "run pyside6-lupdate and translate the new strings"
    compiled = tmp_path / "fresh.qm"
    lrelease = lupdate.with_name("lrelease")
    subprocess.run([str(lrelease), str(TS), "-qm", str(compiled)], check=True, capture_output=True)
    shipped_qm = TRANSLATIONS_DIR / "studyapp_ru.qm"
    assert compiled.read_bytes() == shipped_qm.read_bytes(), "run pyside6-lrelease on the .ts"
