"""Write an :class:`ImportPackage` into the collection: decks, cards, schedule, history and media.

Why one writer for every format: the rule "bad input leaves the collection exactly as it was" is
kept in one place. Everything goes into the database in a single transaction; media files are
written to a scratch folder first and moved into the media folder only after the commit, so a
failed or cancelled import leaves neither rows nor files behind.

Re-importing updates cards by key and never duplicates them. A card's progress in the collection
is kept unless the package has review history newer than the card's own last review; then the
package's state wins and only its newer reviews are added to the log.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from studyapp.core.collection import Collection
from studyapp.core.errors import Cancel, Cancelled, Progress
from studyapp.core.scheduling.study_day import epoch_ms, study_day
from studyapp.core.storage import writes
from studyapp.core.storage.kinds import ItemKind, ReviewKind
from studyapp.core.storage.paths import DataPaths
from studyapp.core.transfer.import_model import (
    ImportedCard,
    ImportedMedia,
    ImportedReview,
    ImportFailed,
    ImportPackage,
)

__all__ = [
    "ANKI_SUFFIXES",
    "IMPORT_SUFFIXES",
    "ImportCancelled",
    "ImportSummary",
    "import_package",
    "is_safe_media_name",
    "read_import_file",
]

ANKI_SUFFIXES = (".apkg", ".colpkg")
#: Every file name ending the importer understands.
IMPORT_SUFFIXES = (*ANKI_SUFFIXES, ".csv", ".tsv", ".txt")
#: Cancellation is checked and progress reported every this many cards.
_BATCH = 200
_UNSAFE_MEDIA = re.compile(r"[/\\\x00-\x1f:]")


class ImportCancelled(ImportFailed, Cancelled):
    """The user stopped the import; nothing was changed."""


@dataclass
class ImportSummary:
    """What an import changed, for the CLI and the message after an import in the app."""

    source: str
    decks: list[str] = field(default_factory=list)
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    reviews: int = 0
    media: int = 0
    warnings: list[str] = field(default_factory=list)

    def describe(self) -> str:
        """One line in English (the CLI's output)."""
        return (
            f"{len(self.decks)} deck(s), {self.added} card(s) added, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.reviews} review(s), {self.media} media file(s)"
        )


def read_import_file(
    path: Path,
    *,
    deck: str | None = None,
    deck_key: str | None = None,
    today_ms: int | None = None,
    cancel: Cancel | None = None,
    progress: Progress | None = None,
) -> ImportPackage:
    """Read any supported file into an :class:`ImportPackage`, choosing the reader by its name.

    ``deck`` (a title) and ``deck_key`` say where CSV/TSV cards go; Anki packages bring their
    own decks. Raises :class:`ImportFailed` for anything it cannot read.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.is_file():
        raise ImportFailed(f"{path}: no such file")
    if suffix in ANKI_SUFFIXES:
        from studyapp.core.transfer.anki.package import (
            read_anki_package,  # zip/zstd only when needed
        )

        return read_anki_package(path, today_ms=today_ms, cancel=cancel, progress=progress)
    if suffix in (".csv", ".tsv", ".txt"):
        from studyapp.core.transfer.csv_import import read_csv_file

        return read_csv_file(path, deck_title=deck, deck_key=deck_key)
    known = ", ".join(IMPORT_SUFFIXES)
    raise ImportFailed(f"{path}: cannot import this kind of file (StudyApp reads {known})")


def is_safe_media_name(name: str) -> bool:
    """A plain file name: no folder parts, no drive or scheme, not hidden, not empty."""
    return bool(name) and not name.startswith(".") and not _UNSAFE_MEDIA.search(name)


def import_package(
    collection: Collection,
    package: ImportPackage,
    *,
    cancel: Cancel | None = None,
    progress: Progress | None = None,
) -> ImportSummary:
    """Write ``package`` into ``collection`` in one transaction and return what changed.

    Raises :class:`ImportFailed` (or :class:`ImportCancelled`) with the collection and the media
    folder exactly as they were.
    """
    from studyapp.core.storage.paths import is_live_collection_file

    if is_live_collection_file(Path(package.source), collection.path):
        raise ImportFailed(
            f"{package.source} is the collection itself (or its WAL): StudyApp cannot import "
            "its own open collection; nothing was changed"
        )
    total = package.card_count
    if total == 0:
        raise ImportFailed(f"{package.source}: there are no cards to import; nothing was changed")
    summary = ImportSummary(source=package.source, warnings=list(package.warnings))
    media_dir = DataPaths(collection.path.parent).media
    renames, media, skipped = _plan_media(package.media, media_dir)
    summary.warnings.extend(skipped)
    writer = _Writer(collection, summary, renames)
    scratch = Path(tempfile.mkdtemp(prefix=".import-", dir=collection.path.parent))
    try:
        for item in media:  # to scratch first: a full disk fails before anything is committed
            (scratch / renames.get(item.name, item.name)).write_bytes(item.data)
        done = 0
        with collection.db.transaction():
            for deck in package.decks:
                deck_id = writer.deck(deck.key, deck.title, deck.description)
                summary.decks.append(deck.title)
                for position, card in enumerate(deck.cards):
                    if done % _BATCH == 0:
                        if cancel is not None and cancel():
                            raise ImportCancelled(
                                f"{package.source}: import cancelled; nothing was changed"
                            )
                        if progress is not None:
                            progress(done, total)
                    writer.card(deck_id, position, card)
                    done += 1
        if progress is not None:
            progress(total, total)
        summary.media = _move_media(scratch, media_dir, summary.warnings)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    collection.invalidate_queue()
    return summary


def _plan_media(
    media: list[ImportedMedia], media_dir: Path
) -> tuple[dict[str, str], list[ImportedMedia], list[str]]:
    """Which files to write, under which names, and warnings for the ones left out.

    A file already in the media folder with the same bytes is not written again; one with the
    same name but other bytes is kept, and the new file gets a name with its hash in it (the
    imported cards are pointed at that name).
    """
    renames: dict[str, str] = {}
    wanted: list[ImportedMedia] = []
    warnings: list[str] = []
    seen: set[str] = set()
    for item in media:
        if not is_safe_media_name(item.name):
            warnings.append(f"media file {item.name!r} skipped: not a plain file name")
            continue
        if item.name in seen:
            continue
        seen.add(item.name)
        target = media_dir / item.name
        if target.is_file():
            if target.read_bytes() == item.data:
                continue
            stem, dot, ext = item.name.rpartition(".")
            digest = hashlib.sha1(item.data).hexdigest()[:8]
            new_name = f"{stem}-{digest}.{ext}" if dot else f"{item.name}-{digest}"
            renames[item.name] = new_name
            if (media_dir / new_name).is_file():
                continue  # imported before under that name
        wanted.append(item)
    return renames, wanted, warnings


def _move_media(scratch: Path, media_dir: Path, warnings: list[str]) -> int:
    """Move the scratch files into the media folder (after the commit); returns how many."""
    names = sorted(p.name for p in scratch.iterdir())
    if not names:
        return 0
    media_dir.mkdir(parents=True, exist_ok=True)
    moved = 0
    for name in names:
        try:
            os.replace(scratch / name, media_dir / name)
            moved += 1
        except OSError as exc:
            warnings.append(f"media file {name!r} could not be saved: {exc}")
    return moved


def _rename_references(text: str, renames: dict[str, str]) -> str:
    """Point ``<img src="old">`` and ``![](old)`` at the renamed media files."""
    for old, new in renames.items():
        quoted = re.escape(old)
        text = re.sub(rf'(src\s*=\s*["\']?){quoted}(?=["\'\s>])', rf"\g<1>{new}", text)
        text = re.sub(rf"(\]\(<?){quoted}(?=>?[)\s])", rf"\g<1>{new}", text)
    return text


class _Writer:
    """The row-level work of one import, inside the caller's transaction."""

    def __init__(
        self, collection: Collection, summary: ImportSummary, renames: dict[str, str]
    ) -> None:
        self.conn = collection.db.conn
        self.summary = summary
        self.renames = renames
        now = collection.clock()
        self.now_ms = epoch_ms(now)
        self.tz = now.tzinfo
        self.day_start = collection.settings.day_start_hour
        self.today = study_day(now, self.day_start)

    def deck(self, key: str, title: str, description: str) -> int:
        row = self.conn.execute("SELECT id, source_path FROM deck WHERE key = ?", (key,)).fetchone()
        if row is None:
            return writes.insert_deck(self.conn, key, title, description)
        deck_id, source_path = row
        if source_path:
            raise ImportFailed(
                f"{self.summary.source}: deck {key!r} comes from the deck file {source_path}; "
                "edit that file instead. Nothing was changed."
            )
        writes.update_imported_deck(self.conn, deck_id, title, description)
        return deck_id

    def _day_of(self, ms: int) -> int:
        return study_day(datetime.fromtimestamp(ms / 1000, tz=self.tz), self.day_start)

    def card(self, deck_id: int, position: int, card: ImportedCard) -> None:
        front = _rename_references(card.front, self.renames)
        back = _rename_references(card.back, self.renames)
        tags = ",".join(card.tags)
        digest = hashlib.sha256(f"{front}\0{back}\0{tags}".encode()).hexdigest()[:32]
        schedule = card.schedule
        due_day = None if schedule.due_in_days is None else self.today + schedule.due_in_days
        row = self.conn.execute(
            "SELECT i.id, i.kind, i.content_hash, i.deck_id, i.position, i.retired, "
            "i.repetitions, i.ef_hundredths, i.interval, i.due_day, d.source_path, "
            "(SELECT max(reviewed_ms) FROM review_log l WHERE l.item_id = i.id) "
            "FROM item i LEFT JOIN deck d ON d.id = i.deck_id WHERE i.key = ? AND i.kind = 'card'",
            (card.key,),
        ).fetchone()
        stored = (schedule.repetitions, schedule.ef_hundredths, schedule.interval, due_day)
        if row is None:
            item_id = writes.insert_item(
                self.conn,
                kind=ItemKind.CARD,
                key=card.key,
                deck_id=deck_id,
                position=position,
                front=front,
                back=back,
                tags=tags,
                content_hash=digest,
                schedule=stored,
                suspended=schedule.suspended,
                added_ms=self.now_ms,
            )
            self._log(item_id, card.reviews, (0, 250, 0, None))
            self.summary.added += 1
            return
        item_id, _, old_hash, old_deck, old_position, retired, *state, source_path, last_ms = row
        if source_path:
            raise ImportFailed(
                f"{self.summary.source}: card {card.key!r} belongs to the deck file "
                f"{source_path}; nothing was changed"
            )
        changed = old_hash != digest or (old_deck, old_position) != (deck_id, position) or retired
        if changed:
            writes.update_imported_card(
                self.conn, item_id, front, back, tags, digest, deck_id, position
            )
        newer = [r for r in card.reviews if last_ms is None or r.reviewed_ms > last_ms]
        if newer:
            # The package knows answers the collection has not seen: its state is the newer one.
            self._log(item_id, newer, (state[0], state[1], state[2], state[3]))
            writes.set_item_schedule(self.conn, item_id, stored, schedule.suspended)
        if changed or newer:
            self.summary.updated += 1
        else:
            self.summary.unchanged += 1

    def _log(
        self,
        item_id: int,
        reviews: tuple[ImportedReview, ...] | list[ImportedReview],
        before: tuple[int, int, int, int | None],
    ) -> None:
        """Review-log rows for past answers, each with the state before and after it."""
        reps, ef, interval, due = before
        for review in sorted(reviews, key=lambda r: r.reviewed_ms):
            if not 0 <= review.quality <= 5:
                raise ImportFailed(
                    f"{self.summary.source}: a review has grade {review.quality} (must be 0-5); "
                    "nothing was changed"
                )
            day = self._day_of(review.reviewed_ms)
            reps_after = reps + 1 if review.quality >= 3 else 0
            due_after = day + review.interval_after
            writes.insert_review_log(
                self.conn,
                writes.ReviewLogRow(
                    item_id,
                    review.reviewed_ms,
                    day,
                    review.quality,
                    ReviewKind.REVIEW,
                    float(review.seconds),
                    writes.ScheduleRow(reps, ef, interval, due, None),
                    writes.ScheduleRow(
                        reps_after, review.ef_after, review.interval_after, due_after, None
                    ),
                ),
            )
            reps, ef, interval, due = reps_after, review.ef_after, review.interval_after, due_after
            self.summary.reviews += 1
