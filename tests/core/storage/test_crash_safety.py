"""A kill -9 in the middle of a session loses no answered review and never corrupts the file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from studyapp.core.collection import Collection

CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from studyapp.core.collection import Collection
    from studyapp.core.decks.sync import sync_deck_folders

    data, decks = Path(sys.argv[1]), Path(sys.argv[2])
    col = Collection.open(data)
    sync_deck_folders(col, [decks])
    col.update_settings(new_per_day=100000, reviews_per_day=100000)
    grade = 0
    while (card := col.next_card()) is not None:
        log_id = col.answer(card, grade % 6)
        grade += 1
        # Reported only after answer() returned, i.e. after COMMIT.
        print(card.key, log_id, flush=True)
    print("done", flush=True)
    """
)


def test_kill_9_mid_session_loses_no_answer(tmp_path: Path) -> None:
    decks = tmp_path / "decks"
    decks.mkdir()
    ids = "\n".join(f"## k{i}\n### Q\nq{i}\n### A\na{i}\n" for i in range(20000))
    (decks / "big.md").write_text(f"---\ntitle: Big\n---\n{ids}")
    data = tmp_path / "data"
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(data), str(decks)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[3],
    )
    assert proc.stdout is not None
    acknowledged: list[tuple[str, int]] = []
    for line in proc.stdout:
        key, log_id = line.split()
        acknowledged.append((key, int(log_id)))
        if len(acknowledged) == 300:
            os.kill(proc.pid, signal.SIGKILL)  # mid-stream: the child is answering flat out
            break
    proc.wait(timeout=30)
    proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL
    col = Collection.open(data)
    try:
        conn = col.db.conn
        assert col.db.integrity_ok()
        logged = dict(conn.execute("SELECT id, item_id FROM review_log"))
        for key, log_id in acknowledged:
            item_id = conn.execute("SELECT id FROM item WHERE key=?", (key,)).fetchone()[0]
            assert logged.get(log_id) == item_id, f"answer {log_id} for {key} was lost"
        # Each card's stored state is exactly the "after" of its latest log row: no card moved
        # without its log row and no log row exists without its card's update.
        mismatched = conn.execute(
            "SELECT count(*) FROM item i JOIN review_log l ON l.id = "
            "(SELECT max(id) FROM review_log WHERE item_id = i.id) "
            "WHERE (i.repetitions, i.ef_hundredths, i.interval, i.due_day, i.redrill_day) "
            "IS NOT (l.reps_after, l.ef_after, l.interval_after, l.due_after, l.redrill_after)"
        ).fetchone()[0]
        assert mismatched == 0
        orphans = conn.execute(
            "SELECT count(*) FROM item i WHERE i.due_day IS NOT NULL AND NOT EXISTS "
            "(SELECT 1 FROM review_log l WHERE l.item_id = i.id)"
        ).fetchone()[0]
        assert orphans == 0
        assert len(logged) >= len(acknowledged)
        # The reopened collection goes on: the next card is one not finished today.
        card = col.next_card()
        assert card is not None
    finally:
        col.close()
