"""The headless command line, run as a user would: a real process, a real data folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from studyapp import __version__

ROOT = Path(__file__).resolve().parents[2]


def studyapp(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "studyapp", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


def test_version() -> None:
    out = studyapp("--version")
    assert out.returncode == 0 and out.stdout.strip() == f"StudyApp {__version__}"


def test_decks_list_json_uses_data_dir_env_and_option(tmp_path: Path) -> None:
    out = studyapp("decks", "list", "--json", env={"STUDYAPP_DATA_DIR": str(tmp_path / "env")})
    assert out.returncode == 0, out.stderr
    assert "warning" not in out.stderr  # the bundled decks are clean, no user folder is fine
    decks = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(decks) >= 4
    for deck in decks:
        assert {"name", "cards", "due", "new"} <= deck.keys()
        assert deck["cards"] >= 10 and deck["new"] == deck["cards"] and deck["due"] == 0
    assert (tmp_path / "env" / "collection.sqlite").exists()
    other = tmp_path / "cli"
    out = studyapp("--data-dir", str(other), "decks", "list")
    assert out.returncode == 0 and "Deck" in out.stdout.splitlines()[0]
    assert (other / "collection.sqlite").exists()


def test_user_deck_folder_is_synced(tmp_path: Path) -> None:
    user = tmp_path / "data" / "decks"
    user.mkdir(parents=True)
    (user / "mine.md").write_text("---\ntitle: Mine\n---\n## mine-1\n### Q\nq\n### A\na\n")
    out = studyapp("--data-dir", str(tmp_path / "data"), "decks", "list", "--json")
    mine = [json.loads(line) for line in out.stdout.splitlines() if '"Mine"' in line]
    assert mine and mine[0]["cards"] == 1


def test_decks_check_reports_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.md"
    bad.write_text("---\ntitle: Bad\n---\n\n## bad-1\n### Q\nq?\n")
    out = studyapp("check", "decks", str(bad))
    assert out.returncode == 1
    assert f"{bad}:5: card 'bad-1' has no '### A'" in out.stdout
    good = tmp_path / "good.md"
    good.write_text("---\ntitle: Good\n---\n\n## good-1\nsource: x\n### Q\nq?\n### A\n$a^2$\n")
    out = studyapp("decks", "check", str(good))
    assert out.returncode == 0 and "1 decks, 1 cards, 1 formulas, 0 problems" in out.stdout


def test_newer_collection_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    import sqlite3

    assert studyapp("--data-dir", str(tmp_path), "decks", "list").returncode == 0
    conn = sqlite3.connect(tmp_path / "collection.sqlite")
    conn.execute("UPDATE meta SET value='42' WHERE key='schema_version'")
    conn.commit()
    conn.close()
    out = studyapp("--data-dir", str(tmp_path), "decks", "list")
    assert out.returncode == 2 and "newer StudyApp" in out.stderr


def test_startup_path_imports_no_heavy_modules() -> None:
    """torch, matplotlib and SQLAlchemy stay off the path from start to the first card."""
    code = (
        "import sys\n"
        "import studyapp.ui.app, studyapp.ui.main_window, studyapp.core.collection\n"
        "import studyapp.core.decks.sync, studyapp.core.scheduling.review_session\n"
        "names = ('torch', 'matplotlib', 'sqlalchemy', 'sqlmodel')\n"
        "heavy = [m for m in names if m in sys.modules]\n"
        "print(heavy)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_drill_list_and_run(tmp_path: Path) -> None:
    data = ["--data-dir", str(tmp_path)]
    out = studyapp(*data, "drill", "list", "--json")
    assert out.returncode == 0, out.stderr
    drills = {d["key"]: d for d in map(json.loads, out.stdout.splitlines())}
    assert "numpy-ml/softmax" in drills and len(drills) >= 6
    assert drills["numpy-ml/softmax"]["due"] and not drills["numpy-ml/softmax"]["passed"]
    solution = ROOT / "exercises" / "numpy-ml" / "softmax" / "solution.py"
    out = studyapp(*data, "drill", "run", "softmax", "--code", str(solution), "--json")
    assert out.returncode == 0, out.stdout + out.stderr
    report = json.loads(out.stdout)
    assert report["outcome"] == "passed" and report["device"] in ("cpu", "cuda", "mps")
    assert report["duration_s"] > 0 and all(t["status"] == "passed" for t in report["tests"])
    assert {"name", "status", "message"} <= report["tests"][0].keys()
    out = studyapp(*data, "drill", "run", "numpy-ml/softmax")  # the saved attempt: the starter
    assert out.returncode == 1 and out.stdout.startswith("ERROR")
    listed = {
        d["key"]: d
        for d in map(json.loads, studyapp(*data, "drill", "list", "--json").stdout.splitlines())
    }
    assert listed["numpy-ml/softmax"]["passed"] and listed["numpy-ml/softmax"]["attempts"] == 2
    out = studyapp(*data, "drill", "run", "no-such-drill")
    assert out.returncode == 2 and "known drills" in out.stderr
