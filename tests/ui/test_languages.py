"""Bilingual cards and a Russian interface: the card language setting, the flip key, and a Qt
translation that covers every visible string."""

from __future__ import annotations

import ast
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
from tests.ui.review.test_review_window import card_text, settle

ROOT = Path(__file__).resolve().parents[2]
TS = TRANSLATIONS_DIR / "studyapp_ru.ts"
#: Calls whose text lupdate extracts, and the position of that text among their arguments.
TR_CALLS = {"tr": 0, "translate": 1, "QT_TRANSLATE_NOOP": 1, "QT_TR_NOOP": 0}


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
    assert "Question b1?" in card_text(win)  # the next card is in the chosen language again
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
    sources = sorted(str(p) for p in (ROOT / "studyapp" / "ui").rglob("*.py"))
    subprocess.run([str(lupdate), *sources, "-ts", str(fresh)], check=True, capture_output=True)
    found = {m.findtext("source") for m in ET.parse(fresh).getroot().iter("message")}
    shipped = {m.findtext("source") for m in ET.parse(TS).getroot().iter("message")}
    assert found - shipped == set(), "run pyside6-lupdate and translate the new strings"
    compiled = tmp_path / "fresh.qm"
    lrelease = lupdate.with_name("lrelease")
    subprocess.run([str(lrelease), str(TS), "-qm", str(compiled)], check=True, capture_output=True)
    shipped_qm = TRANSLATIONS_DIR / "studyapp_ru.qm"
    assert compiled.read_bytes() == shipped_qm.read_bytes(), "run pyside6-lrelease on the .ts"


def translated_sources() -> set[str]:
    return {
        m.findtext("source") or ""
        for m in ET.parse(TS).getroot().iter("message")
        if (m.findtext("translation") or "").strip()
        and m.find("translation").get("type") not in ("unfinished", "vanished", "obsolete")  # type: ignore[union-attr]
    }


def tr_problems(code: str, where: str, translated: set[str]) -> list[str]:
    """Each tr() that would show English in the Russian interface: one inside an f-string's
    braces (lupdate does not look there, so its text never reaches the .ts), one whose text is
    built at run time (f-string, +, .format: nothing fixed to translate), and one whose fixed
    text has no finished translation."""
    tree = ast.parse(code)
    in_fstring = {
        id(n) for f in ast.walk(tree) if isinstance(f, ast.JoinedStr) for n in ast.walk(f)
    }
    problems: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name not in TR_CALLS or len(node.args) <= TR_CALLS[name]:
            continue
        text = node.args[TR_CALLS[name]]
        at = f"{where}:{node.lineno}: {ast.unparse(node)[:70]}"
        built = isinstance(text, (ast.JoinedStr, ast.BinOp)) or (
            isinstance(text, ast.Call) and getattr(text.func, "attr", "") == "format"
        )
        fixed = isinstance(text, ast.Constant)  # a variable's text is marked where it is set
        if fixed and id(node) in in_fstring:
            problems.append((node.lineno, f"{at}: inside an f-string, lupdate cannot see it"))
        elif built:
            problems.append(
                (node.lineno, f"{at}: text built at run time, nothing fixed to translate")
            )
        elif fixed and text.value not in translated:
            problems.append((node.lineno, f"{at}: no Russian translation in the .ts"))
    return [text for _, text in sorted(problems)]


def test_the_tr_check_catches_what_lupdate_misses() -> None:
    code = (
        "class V:\n"
        "    def f(self, n):\n"
        "        a = f\"<b>{self.tr('Hint')}:</b> {n}\"\n"
        "        b = self.tr(f'{n} tests')\n"
        "        c = self.tr('Printed') + self.tr('Known')\n"
        "        d = QCoreApplication.translate('V', 'Known')\n"
        "        e = self.tr(TITLES[n])\n"
        "        g = f\"{QCoreApplication.translate('V', TITLES[n])}\"\n"
    )
    problems = tr_problems(code, "v.py", {"Known", "Hint"})
    assert [p.split(":")[1] for p in problems] == ["3", "4", "5"]
    assert "inside an f-string" in problems[0] and "built at run time" in problems[1]
    assert "no Russian translation" in problems[2] and "Printed" in problems[2]


def test_every_tr_call_in_the_interface_is_translated() -> None:
    translated = translated_sources()
    problems = []
    for path in sorted((ROOT / "studyapp" / "ui").rglob("*.py")):
        where = str(path.relative_to(ROOT))
        problems += tr_problems(path.read_text(encoding="utf-8"), where, translated)
    assert problems == []


def test_russian_decks_page_and_study_choice(
    qtbot: QtBot, tmp_path: Path, decks_dir: Path, clock: FakeClock, russian: None
) -> None:
    """Deck titles follow the language on the Decks page and in "Study:", like the Review header."""
    alpha = decks_dir / "alpha.md"
    alpha.write_text(alpha.read_text().replace("title: Alpha\n", "title: Alpha\ntitle.ru: Альфа\n"))
    win = open_window(qtbot, tmp_path, decks_dir, clock)
    win.worker.run_sync(lambda: win.session.collection.update_settings(language="ru"))  # type: ignore[union-attr]
    win.refresh_review()
    win.refresh_scopes()
    win.nav.setCurrentRow(1)
    settle(qtbot, win)
    decks = win.decks_view
    names = [decks.decks_table.item(r, 1).text() for r in range(decks.decks_table.rowCount())]
    assert names == ["Альфа", "Beta"]  # Beta has no Russian title
    assert decks.study_button.text() == "Учить только эту колоду"
    assert decks.count_label.text() == "Найдено: 5"
    assert decks.cards_table.item(0, 1).text() == "Альфа"
    assert decks.cards_table.item(0, 0).text() == "Вопрос a1?"  # the card language's question
    review = win.review_view
    assert review.deck_label.text().startswith("Альфа")
    assert review.scope_combo.itemText(1) == "Альфа (3)"
    win.close()
