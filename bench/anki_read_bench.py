"""Anki package reading benchmark: a 10,000-note package into the import model.

Builds a synthetic package in a temporary folder in both formats Anki writes: the legacy one
(schema 11, plain SQLite) and the current one (schema 18 would need Anki's protobuf tables, so
the same schema-11 collection is zstd-compressed as ``collection.anki21b``, which exercises the
streaming decompression). Notes are Basic, Basic (and reversed card) and Cloze, with HTML,
MathJax and a picture, about half reviewed with a review log of 5 answers per card.
Target: "a 10,000-note package should read in a few seconds". Prints figures, then a JSON line.

Usage: python bench/anki_read_bench.py [--notes 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import zstandard  # noqa: E402

from studyapp.core.transfer.anki.package import read_anki_package  # noqa: E402

CRT = 1_700_000_000 - 1_700_000_000 % 86_400 + 4 * 3600
TODAY_MS = (CRT + 400 * 86_400) * 1000
ANSWER = "{{FrontSide}}<hr id=answer>"


def _template(name: str, ord_: int, question: str, answer: str) -> dict[str, object]:
    return {"name": name, "ord": ord_, "qfmt": question, "afmt": answer}


def _fields(*names: str) -> list[dict[str, object]]:
    return [{"name": name, "ord": index} for index, name in enumerate(names)]


MODELS = {
    "1": {
        "name": "Basic",
        "type": 0,
        "flds": _fields("Front", "Back"),
        "tmpls": [_template("Card 1", 0, "{{Front}}", ANSWER + "{{Back}}")],
    },
    "2": {
        "name": "Basic (and reversed card)",
        "type": 0,
        "flds": _fields("Front", "Back"),
        "tmpls": [
            _template("Card 1", 0, "{{Front}}", ANSWER + "{{Back}}"),
            _template("Card 2", 1, "{{Back}}", ANSWER + "{{Front}}"),
        ],
    },
    "3": {
        "name": "Cloze",
        "type": 1,
        "flds": _fields("Text", "Back Extra"),
        "tmpls": [_template("Cloze", 0, "{{cloze:Text}}", "{{cloze:Text}}<br>{{Back Extra}}")],
    },
}


def build_collection(path: Path, notes: int) -> None:
    rng = random.Random(1)
    db = sqlite3.connect(path)
    db.executescript(
        "CREATE TABLE col (id integer primary key, crt integer, mod integer, scm integer,"
        " ver integer, dty integer, usn integer, ls integer, conf text, models text,"
        " decks text, dconf text, tags text);"
        "CREATE TABLE notes (id integer primary key, guid text, mid integer, mod integer,"
        " usn integer, tags text, flds text, sfld text, csum integer, flags integer, data text);"
        "CREATE TABLE cards (id integer primary key, nid integer, did integer, ord integer,"
        " mod integer, usn integer, type integer, queue integer, due integer, ivl integer,"
        " factor integer, reps integer, lapses integer, left integer, odue integer,"
        " odid integer, flags integer, data text);"
        "CREATE TABLE revlog (id integer primary key, cid integer, usn integer, ease integer,"
        " ivl integer, lastIvl integer, factor integer, time integer, type integer);"
    )
    decks = {str(d): {"name": f"ML::Part {d}", "desc": "", "dyn": 0} for d in range(1, 6)}
    db.execute(
        "INSERT INTO col VALUES (1, ?, 0, 0, 11, 0, 0, 0, ?, ?, ?, '{}', '{}')",
        (CRT, json.dumps({"creationOffset": 0}), json.dumps(MODELS), json.dumps(decks)),
    )
    card_id = revlog_id = 1
    for nid in range(1, notes + 1):
        kind = nid % 3 + 1
        if kind == 3:
            flds = (
                f"Attention {nid}: {{{{c1::\\(\\mathrm{{softmax}}(QK^T)\\)}}}} scales by "
                f"{{{{c2::\\(\\sqrt{{d_k}}\\)::root}}}}<br><b>note</b> {nid}\x1fextra"
            )
            ords = [0, 1]
        else:
            flds = (
                f"<div>What is <b>item {nid}</b> of the <i>numpy</i> drill?</div>"
                f'<div><img src="pic{nid % 50}.png"></div>\x1f<ul><li>np.dot</li>'
                f"<li>costs $5</li></ul><pre>x = np.ones(3)\nprint(x)</pre>"
            )
            ords = [0, 1] if kind == 2 else [0]
        db.execute(
            "INSERT INTO notes VALUES (?, ?, ?, 0, 0, ' ml numpy ', ?, '', 0, 0, '')",
            (nid, f"guid{nid}", kind, flds),
        )
        for ord_ in ords:
            reviewed = rng.random() < 0.5
            did = nid % 5 + 1
            if reviewed:
                row = (2, 2, 400 + rng.randint(-20, 60), rng.randint(1, 200), 2500, 5, 0)
            else:
                row = (0, 0, nid, 0, 0, 0, 0)
            db.execute(
                "INSERT INTO cards VALUES (?, ?, ?, ?, 0, 0, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, 0, '')",
                (card_id, nid, did, ord_, *row),
            )
            if reviewed:
                for step in range(5):
                    db.execute(
                        "INSERT INTO revlog VALUES (?, ?, 0, ?, ?, 0, 2500, 6000, 1)",
                        (CRT * 1000 + revlog_id, card_id, rng.randint(1, 4), step * 3),
                    )
                    revlog_id += 1
            card_id += 1
    db.commit()
    db.close()


def write_packages(folder: Path, notes: int) -> dict[str, Path]:
    collection = folder / "collection.sqlite"
    build_collection(collection, notes)
    data = collection.read_bytes()
    media = {f"pic{i}.png": b"\x89PNG\r\n\x1a\n" + bytes(200) for i in range(50)}
    legacy = folder / "legacy.apkg"
    with zipfile.ZipFile(legacy, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("collection.anki21", data)
        archive.writestr("media", json.dumps({str(i): n for i, n in enumerate(media)}))
        for index, blob in enumerate(media.values()):
            archive.writestr(str(index), blob)
    current = folder / "current.apkg"
    compress = zstandard.ZstdCompressor().compress
    with zipfile.ZipFile(current, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("collection.anki21b", compress(data))
        archive.writestr("media", json.dumps({str(i): n for i, n in enumerate(media)}))
        for index, blob in enumerate(media.values()):
            archive.writestr(str(index), blob)
    return {"legacy": legacy, "current": current}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    figures: dict[str, object] = {"notes": args.notes}
    with tempfile.TemporaryDirectory() as scratch:
        started = time.perf_counter()
        packages = write_packages(Path(scratch), args.notes)
        print(f"built packages in {time.perf_counter() - started:.1f} s")
        for name, path in packages.items():
            times = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                package = read_anki_package(path, today_ms=TODAY_MS)
                times.append(time.perf_counter() - started)
            figures[f"{name}_cards"] = package.card_count
            figures[f"{name}_read_s"] = round(statistics.median(times), 3)
            print(
                f"{name}: {package.card_count} cards, {len(package.media)} pictures, "
                f"median read {statistics.median(times):.2f} s over {args.repeat}"
            )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
