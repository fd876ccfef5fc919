"""``studyapp install-desktop-entry``: the entry and the icons land in $XDG_DATA_HOME."""

from __future__ import annotations

import configparser
import os
import stat
from pathlib import Path

import pytest

from studyapp.cli import main
from studyapp.cli.desktop import desktop_exec, xdg_data_home
from studyapp.resources import ICON_SIZES, bundled


def _entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


def _expected_files(root: Path) -> list[Path]:
    icons = root / "icons" / "hicolor"
    return [
        *(icons / f"{size}x{size}" / "apps" / "studyapp.png" for size in ICON_SIZES),
        icons / "scalable" / "apps" / "studyapp.svg",
        root / "applications" / "studyapp.desktop",
    ]


def test_the_bundled_entry_has_what_a_launcher_needs() -> None:
    entry = _entry(bundled("desktop") / "studyapp.desktop")
    assert entry["Type"] == "Application"
    assert entry["Name"] and entry["Name[ru]"] and entry["Comment"] and entry["Comment[ru]"]
    assert entry["Exec"] == "studyapp" and entry["Icon"] == "studyapp"
    assert entry["Terminal"] == "false" and entry["Categories"] == "Education;"
    # Qt names the window's WM_CLASS after the application name (studyapp/ui/app.py).
    assert entry["StartupWMClass"] == "StudyApp"


def test_installs_into_xdg_data_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    assert main(["install-desktop-entry"]) == 0
    expected = _expected_files(tmp_path / "share")
    assert capsys.readouterr().out.splitlines() == [str(path) for path in expected]
    for path in expected:
        assert stat.S_IMODE(path.stat().st_mode) == 0o644, path
    for size in ICON_SIZES:
        source = bundled("icons") / f"studyapp-{size}.png"
        assert expected[ICON_SIZES.index(size)].read_bytes() == source.read_bytes()
    entry = _entry(expected[-1])
    assert entry["Icon"] == "studyapp" and entry["Name[ru]"] == "StudyApp"
    assert entry["Exec"] == "studyapp" or os.path.isabs(entry["Exec"].strip('"'))
    assert not list((tmp_path / "share").rglob("*.partial")), "no half-written file is left"


def test_prefix_wins_and_a_second_run_replaces_the_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "unused"))
    for _ in range(2):
        assert main(["install-desktop-entry", "--prefix", str(tmp_path / "prefix")]) == 0
    assert all(path.is_file() for path in _expected_files(tmp_path / "prefix"))
    assert not (tmp_path / "unused").exists()
    assert len(capsys.readouterr().out.splitlines()) == 2 * len(_expected_files(tmp_path))


def test_exec_names_the_running_script(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    script = tmp_path / "my bin" / "studyapp"
    script.parent.mkdir()
    script.write_text("#!/bin/sh\n", encoding="utf-8")
    script.chmod(0o755)
    monkeypatch.setattr("sys.argv", [str(script)])
    assert main(["install-desktop-entry", "--prefix", str(tmp_path / "share")]) == 0
    entry = _entry(tmp_path / "share" / "applications" / "studyapp.desktop")
    assert entry["Exec"] == f'"{script}"'  # quoted: the path has a space


def test_exec_quoting_follows_the_specification() -> None:
    assert desktop_exec(None) == "studyapp"
    assert desktop_exec(Path("/opt/venv/bin/studyapp")) == "/opt/venv/bin/studyapp"
    assert desktop_exec(Path("/a b/studyapp")) == '"/a b/studyapp"'
    # Inside quotes $ is escaped by a backslash, which the key file escapes once more; % doubles.
    assert desktop_exec(Path("/a$b/100%/studyapp")) == '"/a\\\\$b/100%%/studyapp"'


def test_xdg_data_home_ignores_a_relative_value(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", "relative/share")
    assert xdg_data_home() == Path.home() / ".local" / "share"
    monkeypatch.delenv("XDG_DATA_HOME")
    assert xdg_data_home() == Path.home() / ".local" / "share"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only folder")
def test_a_read_only_prefix_fails_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    prefix = tmp_path / "ro"
    prefix.mkdir()
    prefix.chmod(0o500)
    try:
        assert main(["install-desktop-entry", "--prefix", str(prefix)]) == 3
    finally:
        prefix.chmod(0o700)
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith("studyapp: cannot install the desktop entry in ")


def test_a_prefix_that_is_a_file_fails_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    prefix = tmp_path / "a-file"
    prefix.write_text("", encoding="utf-8")
    assert main(["install-desktop-entry", "--prefix", str(prefix)]) == 3
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and "cannot install the desktop entry" in err[0]


@pytest.mark.parametrize(
    "foreign", ["applications/studyapp.desktop", "icons/hicolor/32x32/apps/studyapp.png"]
)
def test_a_file_studyapp_did_not_install_is_never_overwritten(
    tmp_path: Path, foreign: str, capsys: pytest.CaptureFixture[str]
) -> None:
    prefix = tmp_path / "share"
    theirs = prefix / foreign
    theirs.parent.mkdir(parents=True)
    theirs.write_bytes(b"[Desktop Entry]\nName=My own StudyApp launcher\n")
    assert main(["install-desktop-entry", "--prefix", str(prefix)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(theirs) in err and "nothing was changed" in err
    assert theirs.read_bytes() == b"[Desktop Entry]\nName=My own StudyApp launcher\n"
    assert [p for p in prefix.rglob("*") if p.is_file()] == [theirs], "nothing else was written"


def test_an_entry_it_installed_is_marked_and_replaced(tmp_path: Path) -> None:
    prefix = tmp_path / "share"
    assert main(["install-desktop-entry", "--prefix", str(prefix)]) == 0
    entry = prefix / "applications" / "studyapp.desktop"
    assert _entry(entry)["X-StudyApp-Installed-By"] == "studyapp install-desktop-entry"
    assert main(["install-desktop-entry", "--prefix", str(prefix)]) == 0
