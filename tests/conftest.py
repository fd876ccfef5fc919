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


# --- Markers (issue 12) ------------------------------------------------------------------------
# `pytest -m "not slow"` is the quick everyday loop; `-m "not gui"` runs without Qt widgets;
# `-m "not subprocess"` starts no process. Set here, from explicit lists, so a reader sees in one
# place why a test carries a marker; a test module may also mark itself (tests/cli/test_wheel.py).

#: Folders whose every test needs Qt widgets.
GUI_FOLDERS = ("tests/ui/",)

#: Modules whose every test starts a process: the drill worker, the CLI, a jailed child.
SUBPROCESS_MODULES = frozenset(
    {
        "tests/cli/test_cli.py",
        "tests/cli/test_cli_no_traceback.py",
        "tests/cli/test_drill_verify_cli.py",
        "tests/cli/test_stats_cli.py",
        "tests/core/attention/test_attention_trace.py",
        "tests/core/drills/test_drills.py",
        "tests/core/drills/sandbox/test_confine.py",
        "tests/core/drills/sandbox/test_hostile_judge.py",
        "tests/core/storage/test_crash_safety.py",
        "tests/ui/drills/test_drills_page.py",
    }
)

#: Single tests elsewhere that start one process (a CLI run, a second Python, lupdate).
SUBPROCESS_TESTS = frozenset(
    {
        "tests/core/decks/test_deck_check.py::test_cli_prints_warnings_and_fails_on_them_only_when_strict",
        "tests/core/decks/test_deck_files.py::test_a_link_to_dev_zero_is_refused_before_reading",
        "tests/core/decks/test_deck_files.py::test_check_decks_on_a_fifo_and_dev_zero_answers_at_once",
        "tests/core/rendering/test_math_render.py::test_cached_formula_does_not_import_matplotlib",
        "tests/core/rendering/test_render.py::test_no_matplotlib_without_maths_nor_for_cached_maths",
        "tests/core/storage/test_database.py::test_second_instance_gets_a_clear_message",
        "tests/core/sync/test_sync_hlc_events.py::test_public_names_are_exported_and_nothing_imports_qt",
        "tests/ui/test_languages.py::test_translation_file_covers_the_current_sources",
    }
)

#: Modules whose tests take more than about 3 s each or together: they start the drill worker and
#: run drills in it, kill and restart writers, run many CLI processes, or fit the FSRS optimiser.
SLOW_MODULES = frozenset(
    {
        "tests/cli/test_cli_no_traceback.py",
        "tests/cli/test_drill_verify_cli.py",
        "tests/core/attention/test_attention_trace.py",
        "tests/core/drills/test_drills.py",
        "tests/core/drills/sandbox/test_hostile_judge.py",
        "tests/core/storage/test_crash_safety.py",
        "tests/ui/drills/test_drills_page.py",
    }
)

#: Single slow tests elsewhere.
SLOW_TESTS = frozenset(
    {
        "tests/core/scheduling/test_scheduler_eval.py::test_optimised_parameters_never_see_the_scored_reviews",
        "tests/ui/test_languages.py::test_translation_file_covers_the_current_sources",
        # Measured over 3 s on the 2-core machine (pytest --durations=60, whole suite):
        "tests/core/decks/test_deck_check.py::test_bundled_decks_pass_the_checker",
        "tests/core/decks/test_deck_files.py::test_a_deck_just_under_the_cap_loads",
        "tests/cli/test_cli.py::test_drill_list_and_run",
        "tests/cli/test_cli.py::test_decks_list_json_uses_data_dir_env_and_option",
        "tests/cli/test_stats_cli.py::test_stats_png_of_a_studied_collection",
        "tests/core/sync/test_sync_convergence.py::test_device_joining_late_rebuilds_months_of_history",
        "tests/ui/attention/test_attention_page.py::test_buggy_solutions_get_their_diagnosis",
        "tests/ui/attention/test_attention_page.py::test_a_correct_solution_is_green_everywhere",
        "tests/ui/attention/test_attention_page.py::test_code_that_raises_says_why",
    }
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Add the gui, subprocess and slow markers from the lists above (by the test's node id
    without its parameters, relative to the repository)."""
    for item in items:
        test = item.nodeid.split("[", 1)[0]
        module = test.split("::", 1)[0]
        if module.startswith(GUI_FOLDERS):
            item.add_marker(pytest.mark.gui)
        if module in SUBPROCESS_MODULES or test in SUBPROCESS_TESTS:
            item.add_marker(pytest.mark.subprocess)
        if module in SLOW_MODULES or test in SLOW_TESTS:
            item.add_marker(pytest.mark.slow)
