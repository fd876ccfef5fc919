"""The one logging set-up: a rotating file in the data folder, warnings also on stderr."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from studyapp.logs import LOGGER_NAME, log_file, setup_logging


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    yield
    setup_logging(None, stderr_level=None)


def test_records_go_to_the_file_and_warnings_to_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = setup_logging(tmp_path)
    assert path == log_file(tmp_path) == tmp_path / "logs" / "studyapp.log"
    log = logging.getLogger(LOGGER_NAME + ".test")
    log.info("an info line")
    log.warning("a warning line")
    for handler in logging.getLogger(LOGGER_NAME).handlers:
        handler.flush()
    text = path.read_text(encoding="utf-8")
    assert "an info line" in text and "a warning line" in text
    err = capsys.readouterr().err
    assert "a warning line" in err and "an info line" not in err


def test_a_second_setup_replaces_the_handlers(tmp_path: Path) -> None:
    setup_logging(tmp_path / "one")
    setup_logging(tmp_path / "two")
    ours = [
        h for h in logging.getLogger(LOGGER_NAME).handlers if getattr(h, "_studyapp_handler", 0)
    ]
    assert len(ours) == 2  # one file, one stderr


def test_an_unwritable_folder_gives_no_file_and_no_crash(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert setup_logging(blocker, stderr_level=None) is None
