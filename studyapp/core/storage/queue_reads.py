"""The reads that build today's queue: re-drills, a page of due reviews, and new items.

Why here and not in the collection: these are the queries that must stay fast on a 100,000-card
collection (each walks an index in order with a LIMIT), so they sit together where their SQL and
the indexes in ``schema`` can be read side by side. The collection decides when to build or
refill; :class:`DailyQueue` decides what comes next.
"""

from __future__ import annotations

import sqlite3

from studyapp.core.scheduling.daily_queue import DailyQueue, interleave, rotate_after
from studyapp.core.storage.kinds import ItemKind

__all__ = ["DUE_PAGE", "LIVE", "build_queue", "new_items", "refill_due"]

#: Items that can be asked: live, and not in a disabled or retired deck (drills have no deck).
#: Written without OR so SQLite can walk the partial index ``ix_item_queue`` in order.
LIVE = (
    "NOT i.suspended AND NOT i.retired AND "
    "coalesce(i.deck_id, 0) NOT IN (SELECT id FROM deck WHERE NOT enabled OR retired)"
)
#: Due reviews are fetched in pages, so a 100,000-card backlog costs one page at start-up.
DUE_PAGE = 200


def new_items(conn: sqlite3.Connection, live: str, limit: int, order: str) -> list[int]:
    """Today's new items in the chosen order: round robin over decks (each in the order its
    cards were added; the coding drills of every track count as one deck) or deck by deck.
    Each deck is read in id order through ``ix_item_deck`` with its own LIMIT, so building
    the day costs a few rows per deck however large the decks are."""
    if order == "deck":
        sql = f"SELECT i.id FROM item i WHERE i.due_day IS NULL AND {live} "
        ordered = conn.execute(sql + "ORDER BY i.deck_id, i.position, i.id LIMIT ?", (limit,))
        return [item_id for (item_id,) in ordered]
    groups: list[list[int]] = []
    drills: list[list[int]] = []
    drills_at = 0
    decks = [
        deck_id
        for (deck_id,) in conn.execute(
            "SELECT id FROM deck WHERE enabled AND NOT retired ORDER BY id"
        )
    ]
    # The deck of the last new card introduced (among the latest answers only: cheap).
    last = conn.execute(
        "SELECT i.deck_id FROM (SELECT item_id, due_before, kind FROM review_log "
        "ORDER BY id DESC LIMIT 5000) l JOIN item i ON i.id = l.item_id "
        "WHERE l.due_before IS NULL AND l.kind = 'review' LIMIT 1"
    ).fetchone()
    for deck_id in (*rotate_after(decks, last and last[0]), None):
        where = "i.deck_id IS NULL" if deck_id is None else f"i.deck_id = {int(deck_id)}"
        rows = conn.execute(
            f"SELECT i.id, i.kind FROM item i WHERE {where} AND i.due_day IS NULL "
            f"AND {live} ORDER BY i.id LIMIT ?",
            (limit,),
        ).fetchall()
        ids = [item_id for item_id, _ in rows]
        if rows and rows[0][1] == ItemKind.DRILL:
            drills_at = drills_at if drills else len(groups)
            drills.append(ids)
        elif rows:
            groups.append(ids)
    if drills:  # every drill track takes its turn inside one slot of the rotation
        groups.insert(drills_at, interleave(drills, limit))
    return interleave(groups, limit)


def build_queue(
    conn: sqlite3.Connection,
    day: int,
    scope_sql: str,
    *,
    new_per_day: int,
    reviews_per_day: int,
    new_order: str,
) -> DailyQueue:
    """Today's queue within the day's limits (answers already given today count against them);
    ``scope_sql`` narrows it to one deck or tag (``StudyScope.sql()``)."""
    live = LIVE + scope_sql
    new_done, reviews_done = conn.execute(
        "SELECT coalesce(sum(due_before IS NULL), 0), coalesce(sum(due_before IS NOT NULL), 0)"
        " FROM review_log WHERE study_day = ? AND kind = 'review'",
        (day,),
    ).fetchone()
    redrill = [
        item_id
        for (item_id,) in conn.execute(
            f"SELECT i.id FROM item i WHERE i.redrill_day = ? AND {live} ORDER BY "
            "(SELECT max(reviewed_ms) FROM review_log l WHERE l.item_id = i.id), i.id",
            (day,),
        )
    ]
    due_allowed = max(0, reviews_per_day - reviews_done)
    (due_left,) = conn.execute(
        f"SELECT count(*) FROM (SELECT 1 FROM item i WHERE i.due_day <= ? AND {live} LIMIT ?)",
        (day, due_allowed),
    ).fetchone()
    new = new_items(conn, live, max(0, new_per_day - new_done), new_order)
    queue = DailyQueue(day=day, redrill=redrill, new=new, due_left=due_left)
    refill_due(conn, queue, scope_sql)
    return queue


def refill_due(conn: sqlite3.Connection, queue: DailyQueue, scope_sql: str) -> None:
    """Load the next page of due reviews. Every item answered today is due on a later day,
    so the most overdue items still due today are always the next ones to ask."""
    want = min(DUE_PAGE, queue.due_left) - len(queue.due)
    if want <= 0:
        return
    skip = set(queue.due) | set(queue.redrill)
    rows = conn.execute(
        f"SELECT i.id FROM item i WHERE i.due_day <= ? AND {LIVE}{scope_sql} "
        "ORDER BY i.due_day, i.id LIMIT ?",
        (queue.day, want + len(skip)),
    )
    queue.due.extend(item_id for (item_id,) in rows if item_id not in skip)
    del queue.due[min(DUE_PAGE, queue.due_left) :]
    if not queue.due:
        queue.due_left = 0  # nothing more is due (e.g. suspended meanwhile)
