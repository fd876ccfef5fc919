"""The command line: ``studyapp`` opens the window; sub-commands script the collection headless.

Why argparse and lazy imports: ``studyapp --version`` and ``studyapp decks list`` must not pay for
Qt, and the window must not pay for anything it does not show first.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import json
import os
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path

from studyapp import __version__

__all__ = ["EXIT_CODES", "build_parser", "main"]

#: What each exit status means (also in ``studyapp --help``).
EXIT_CODES = {
    0: "success",
    1: "a check or drill run did not pass, or a file was refused (nothing was changed)",
    2: "the command line, the data folder or the collection cannot be used (damaged, from a "
    "newer StudyApp, missing, busy, read-only); the message says which",
    3: "the disk is full, or another system error while reading or writing a file",
    130: "interrupted (Ctrl+C)",
    141: "the output was closed early (e.g. piped into head)",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="studyapp",
        description="Offline study app for ML interviews: SM-2 flashcards in one window.",
        epilog="exit status: "
        + "; ".join(f"{code} {meaning}" for code, meaning in EXIT_CODES.items()),
    )
    parser.add_argument("--version", action="version", version=f"StudyApp {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="PATH",
        help="use the collection in PATH (default: $STUDYAPP_DATA_DIR, else the user data folder)",
    )
    parser.add_argument("--bench-first-paint", action="store_true", help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    decks = sub.add_parser("decks", help="list or check decks")
    decks_sub = decks.add_subparsers(dest="decks_command", metavar="ACTION", required=True)
    listing = decks_sub.add_parser("list", help="each deck with its card, due and new counts")
    listing.add_argument("--json", action="store_true", help="one JSON object per line")
    _add_check_arguments(
        decks_sub.add_parser("check", help="validate deck files (same as 'check decks')")
    )
    drill = sub.add_parser("drill", help="list, run and verify coding drills")
    drill_sub = drill.add_subparsers(dest="drill_command", metavar="ACTION", required=True)
    drill_list = drill_sub.add_parser("list", help="every drill with its status")
    drill_list.add_argument("--json", action="store_true", help="one JSON object per line")
    drill_run = drill_sub.add_parser("run", help="run a solution; exit 0 only if all tests pass")
    drill_run.add_argument("slug", help="track/slug or slug, e.g. softmax")
    drill_run.add_argument(
        "--code", type=Path, metavar="FILE", help="the code to run (default: your saved attempt)"
    )
    drill_run.add_argument("--json", action="store_true", help="print the report as JSON")
    drill_run.add_argument("--cpu", action="store_true", help="do not use a GPU")
    drill_verify = drill_sub.add_parser(
        "verify", help="reference must pass, starter and every mutant must fail"
    )
    drill_verify.add_argument("--json", action="store_true", help="one JSON object per run")
    drill_verify.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="an exercise folder or a folder of tracks (default: the bundled exercises)",
    )
    drill_sub.add_parser("doctor", help="which sandbox protections runs get on this machine")
    backup = sub.add_parser("backup", help="back up the collection, list or restore backups")
    backup_sub = backup.add_subparsers(dest="backup_command", metavar="ACTION", required=True)
    backup_sub.add_parser("create", help="back up now (safe while the app is open)")
    backup_list = backup_sub.add_parser("list", help="the backups, newest first")
    backup_list.add_argument("--json", action="store_true", help="one JSON object per line")
    backup_restore = backup_sub.add_parser(
        "restore", help="replace the collection with a backup (the app must be closed)"
    )
    backup_restore.add_argument(
        "file", type=Path, help="a backup file, or the name of one in the backups folder"
    )
    stats = sub.add_parser("stats", help="render the statistics overview to a PNG file")
    stats.add_argument("--png", type=Path, metavar="FILE", required=True, help="the image to write")
    stats.add_argument(
        "--days", type=int, choices=(30, 90, 365), default=30, help="the range (default 30)"
    )
    from studyapp.cli_transfer import add_parsers as add_transfer_parsers

    add_transfer_parsers(sub)
    check = sub.add_parser("check", help="validate content")
    check_sub = check.add_subparsers(dest="check_command", metavar="WHAT", required=True)
    _add_check_arguments(
        check_sub.add_parser("decks", help="validate deck files; non-zero exit on any error")
    )
    return parser


def _add_check_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", type=Path, help="files or folders (default: bundled)")
    parser.add_argument(
        "--max-question",
        type=int,
        default=300,
        metavar="N",
        help="longest question allowed, in characters (default 300)",
    )
    parser.add_argument(
        "--strict", action="store_true", help="fail on warnings (near-duplicate cards) too"
    )


def _decks_list(data_dir: Path, as_json: bool) -> int:
    from studyapp.core.collection import Collection
    from studyapp.core.deck_sync import sync_deck_folders
    from studyapp.core.errors import AlreadyRunningError
    from studyapp.core.paths import DataPaths

    paths = DataPaths(data_dir)
    try:
        col = Collection.open(data_dir, purpose="'studyapp decks list'")
        synced = True
    except AlreadyRunningError:
        # The window has the folder: read what it has written, without syncing.
        col = Collection.open(data_dir, lock=False)
        synced = False
    try:
        if synced:
            from studyapp.core.deck_sync import bundled_decks_dir

            report = sync_deck_folders(col, [bundled_decks_dir(), paths.user_decks])
            for problem in report.problems:
                print(f"warning: {problem}", file=sys.stderr)
        decks = col.decks()
    finally:
        col.close()
    if as_json:
        for d in decks:
            print(
                json.dumps(
                    {
                        "name": d.name,
                        "key": d.key,
                        "cards": d.cards,
                        "due": d.due,
                        "new": d.new,
                        "enabled": d.enabled,
                    },
                    ensure_ascii=False,
                )
            )
    else:
        width = max((len(d.name) for d in decks), default=4)
        print(f"{'Deck':<{width}}  {'Cards':>6} {'Due':>6} {'New':>6}")
        for d in decks:
            off = "" if d.enabled else "  (disabled)"
            print(f"{d.name:<{width}}  {d.cards:>6} {d.due:>6} {d.new:>6}{off}")
    return 0


def _check_decks(paths: list[Path], max_question: int, strict: bool = False) -> int:
    from studyapp.core.deck_check import check_paths
    from studyapp.core.deck_sync import bundled_decks_dir

    report = check_paths(paths or [bundled_decks_dir()], max_question=max_question)
    for problem in [*report.problems, *report.warnings]:
        print(problem)
    print(
        f"{report.decks} decks, {report.cards} cards, {report.formulas} formulas, "
        f"{len(report.problems)} problems, {len(report.warnings)} warnings"
    )
    return 0 if report.ok and not (strict and report.warnings) else 1


def _open_drills(data_dir: Path):  # type: ignore[no-untyped-def]
    from studyapp.core.collection import Collection
    from studyapp.core.drills import DrillService
    from studyapp.core.errors import AlreadyRunningError
    from studyapp.core.exercise_catalog import load_catalog

    exercises, problems = load_catalog()
    for problem in problems:
        print(f"warning: {problem}", file=sys.stderr)
    try:
        collection = Collection.open(data_dir, purpose="'studyapp drill'")
    except AlreadyRunningError:
        # The window (or an import) holds the folder; SQLite lets both processes write, each
        # change in its own short transaction, so drills work while the window is open.
        collection = Collection.open(data_dir, lock=False)
    try:
        service = DrillService(collection, exercises)
        service.sync()
    except BaseException:
        collection.close()
        raise
    return service


def _drill_list(data_dir: Path, as_json: bool) -> int:
    service = _open_drills(data_dir)
    try:
        statuses = service.statuses()
    finally:
        service.collection.close()
    for s in statuses:
        row = {
            "key": s.key,
            "slug": s.key.split("/")[1],
            "title": s.title,
            "track": s.track,
            "difficulty": s.difficulty,
            "needs_torch": s.needs_torch,
            "attempts": s.attempts,
            "last_outcome": s.last_outcome,
            "passed": s.ever_passed,
            "due": s.due,
        }
        if as_json:
            print(json.dumps(row, ensure_ascii=False))
        else:
            mark = "passed" if s.ever_passed else (s.last_outcome or "new")
            torch = " (torch)" if s.needs_torch else ""
            print(f"{s.key:42} {s.difficulty:7} {mark:8} {s.title}{torch}")
    return 0


def _print_report(report, as_json: bool) -> None:  # type: ignore[no-untyped-def]
    if as_json:
        print(json.dumps(report.to_dict(), ensure_ascii=False))
        return
    where = f"{report.device}" + (f" · {report.device_name}" if report.device_name else "")
    print(f"{report.outcome.upper()}: {report.message}  [{where}, {report.duration_s:.2f} s]")
    for test in report.tests:
        print(f"  {'ok  ' if test.status == 'passed' else test.status:7} {test.name}")
        if test.status != "passed":
            print(f"          {test.message}")
            if test.hint:
                print(f"          hint: {test.hint}")
    if report.traceback:
        print(report.traceback.rstrip())


def _drill_run(data_dir: Path, slug: str, code: Path | None, as_json: bool, cpu: bool) -> int:
    from studyapp.core.drill_runner import DrillRunner

    if code is not None:
        try:
            code_text: str | None = code.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            why = exc.strerror if isinstance(exc, OSError) else "it is not UTF-8 text"
            print(f"studyapp: cannot read --code {code}: {why}", file=sys.stderr)
            return 2
    else:
        code_text = None
    service = _open_drills(data_dir)
    try:
        try:
            exercise = service.exercise(slug)
        except KeyError as exc:
            print(f"studyapp: {exc.args[0]}", file=sys.stderr)
            return 2
        source = code_text if code_text is not None else service.draft(exercise.key)
        if exercise.needs_torch and not _has_torch():
            print(
                f"studyapp: {exercise.title} needs torch: pip install torch==2.13.0",
                file=sys.stderr,
            )
            return 2
        with DrillRunner() as runner:
            report = runner.run(exercise, source, force_cpu=cpu)
        service.record_run(exercise.key, source, report)
    finally:
        service.collection.close()
    _print_report(report, as_json)
    return 0 if report.passed else 1


def _has_torch() -> bool:
    import importlib.util

    return importlib.util.find_spec("torch") is not None


def _drill_doctor() -> int:
    """One line per sandbox protection, each checked by a confined run; exit 1 when one is
    not enforced here (or did not hold)."""
    from studyapp.core import confine

    lines = confine.doctor_lines(check=True)
    for line in lines:
        print(line)
    return 0 if all(line.startswith("on ") for line in lines) else 1


def _verify_targets(paths: list[Path]) -> tuple[list, list[str]]:  # type: ignore[type-arg]
    """The exercises named on the command line (folders of one exercise or of tracks)."""
    from studyapp.core.exercise_catalog import ExerciseError, load_catalog, load_exercise

    if not paths:
        return load_catalog()
    exercises, problems = [], []
    for path in paths:
        if not path.is_dir():
            problems.append(f"{path}: not a folder")
        elif (path / "exercise.toml").is_file():
            try:
                exercises.append(load_exercise(path))
            except ExerciseError as exc:
                problems.append(str(exc))
        else:
            found, trouble = load_catalog(path)
            exercises += found
            problems += trouble or ([] if found else [f"{path}: no exercise.toml below it"])
    return exercises, problems


def _drill_verify(as_json: bool, paths: list[Path] | None = None) -> int:
    from studyapp.core.drill_runner import DrillRunner
    from studyapp.core.exercise_i18n import translation_problems

    exercises, problems = _verify_targets(paths or [])
    # Every statement ships in Russian too, with code blocks identical to the English ones.
    problems += [line for ex in exercises for line in translation_problems(ex.folder)]
    surprises = len(problems)
    for problem in problems:
        print(f"problem: {problem}")
    torch = _has_torch()
    with DrillRunner() as runner:
        for exercise in exercises:
            if exercise.needs_torch and not torch:
                print(f"skipped  {exercise.key}: needs torch (pip install torch==2.13.0)")
                continue
            runs = [
                ("reference", exercise.solution_path, True),
                ("starter", exercise.starter_path, False),
            ]
            runs += [(f"mutant {m.name}", m.path, False) for m in exercise.mutants]
            for label, path, should_pass in runs:
                report = runner.run(exercise, path.read_text(encoding="utf-8"))
                ok = report.passed == should_pass
                surprises += not ok
                if as_json:
                    print(
                        json.dumps(
                            {
                                "exercise": exercise.key,
                                "run": label,
                                "outcome": report.outcome,
                                "ok": ok,
                            }
                        )
                    )
                else:
                    verdict = "ok      " if ok else "SURPRISE"
                    print(f"{verdict} {exercise.key:42} {label:32} {report.outcome}")
    if not as_json:
        print(f"{len(exercises)} exercises, {surprises} surprises")
    return 1 if surprises else 0


def _backup(data_dir: Path, action: str, file: Path | None, as_json: bool) -> int:
    from studyapp.core.backups import BackupError, Backups
    from studyapp.core.errors import AlreadyRunningError
    from studyapp.core.instance_lock import InstanceLock

    backups = Backups(data_dir)
    if action == "list":
        _backup_list(backups, as_json)
        return 0
    if action == "create":
        try:
            made = backups.create("manual")
        except FileNotFoundError as exc:
            print(f"studyapp: {exc}", file=sys.stderr)
            return 2
        except BackupError as exc:
            newest = backups.newest_good_backup()
            good = f" The newest good backup is {newest.path.name}." if newest else ""
            print(f"studyapp: {_one_line(str(exc))}.{good}", file=sys.stderr)
            return 2
        print(made)
        return 0
    assert file is not None
    source = file if file.exists() or file.parent != Path() else backups.folder / file.name
    try:
        with InstanceLock(data_dir, "'studyapp backup restore'"):
            result = backups.restore(source)
    except AlreadyRunningError as exc:
        print(f"studyapp: {exc} Close the app before restoring.", file=sys.stderr)
        return 2
    except BackupError as exc:
        print(f"studyapp: {exc}; the collection was not changed.", file=sys.stderr)
        return 1
    print(f"restored {result.restored_from}")
    if result.previous is not None:
        kept = "damaged file kept as" if result.previous_damaged else "previous state backed up to"
        print(f"{kept} {result.previous}")
    return 0


def _backup_list(backups, as_json: bool) -> None:  # type: ignore[no-untyped-def]
    """Each backup with its full check's verdict (each is checked once, then remembered)."""
    for b in backups.list(verify=True):
        when = b.created.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        if as_json:
            row = {"file": str(b.path), "created": b.created.isoformat(), "reason": b.reason}
            row.update(size=b.size, ok=b.status != "damaged", status=b.status)
            print(json.dumps({**row, "problem": b.problem}))
        else:
            flag = f"  DAMAGED: {b.problem or 'unreadable'}" if b.status == "damaged" else ""
            print(f"{when}  {b.size:>10,} B  {b.reason:<15} {b.path.name}{flag}")
    if not as_json:
        print(f"folder: {backups.folder}")


def _stats_png(data_dir: Path, png: Path, days: int) -> int:
    from studyapp.core.backups import had_collection
    from studyapp.core.collection import Collection
    from studyapp.core.paths import DataPaths
    from studyapp.core.statistics import collect_statistics
    from studyapp.core.stats_plots import render_overview

    if not DataPaths(data_dir).collection.exists() and not had_collection(data_dir):
        print(f"studyapp: no collection in {data_dir} (see --data-dir)", file=sys.stderr)
        return 2
    # Only reads: works while the window has the folder open. A lost or damaged file is
    # refused here, naming the newest good backup.
    col = Collection.open(data_dir, lock=False)
    try:
        stats = collect_statistics(col, days)
    finally:
        col.close()
    try:
        render_overview(stats, png)
    except OSError as exc:
        print(f"studyapp: cannot write {png}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    print(f"{png}: {stats.reviews_in_range} reviews in the last {days} days")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``studyapp`` console script and ``python -m studyapp``.

    Every expected failure becomes one line on stderr and an exit status of
    :data:`EXIT_CODES`; a traceback is left only for a real bug.
    """
    args = build_parser().parse_args(argv)
    try:
        code = _dispatch(args)
        sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's last flush
        return code
    except BrokenPipeError:
        # The reader (e.g. ``| head``) has gone: stop quietly, and let the interpreter's
        # final flush write to /dev/null instead of raising again.
        with contextlib.suppress(OSError, ValueError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        return 141
    except KeyboardInterrupt:
        print("studyapp: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        line, code = _failure(exc)
        if line is None:
            raise
        print(f"studyapp: {line}", file=sys.stderr)
        return code


def _failure(exc: BaseException) -> tuple[str | None, int]:
    """The one line and exit status for an expected failure; (None, 0) for a bug."""
    from studyapp.core.backups import DamagedCollectionError
    from studyapp.core.errors import CollectionError

    if isinstance(exc, DamagedCollectionError):
        return _one_line(f"{exc} {exc.advice()}"), 2
    if isinstance(exc, CollectionError):
        return _one_line(str(exc)), 2
    if isinstance(exc, sqlite3.OperationalError) and "full" in str(exc):
        return "the disk is full; nothing more was written (" + str(exc) + ")", 3
    if isinstance(exc, sqlite3.DatabaseError):
        return _one_line(f"the collection cannot be read or written: {exc}"), 2
    if isinstance(exc, OSError):
        where = f"{exc.filename}: " if exc.filename else ""
        if exc.errno == errno.ENOSPC:
            return f"the disk is full; nothing more was written ({where}{exc.strerror})", 3
        return _one_line(f"{where}{exc.strerror or exc}"), 3
    return None, 0


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _dispatch(args: argparse.Namespace) -> int:
    from studyapp.core.paths import resolve_data_dir

    if args.command == "check" or getattr(args, "decks_command", None) == "check":
        return _check_decks(args.paths, args.max_question, args.strict)
    if args.command == "drill":
        if args.drill_command == "verify":
            return _drill_verify(args.json, args.paths)
        if args.drill_command == "doctor":
            return _drill_doctor()
        data_dir = resolve_data_dir(args.data_dir)
        if args.drill_command == "list":
            return _drill_list(data_dir, args.json)
        return _drill_run(data_dir, args.slug, args.code, args.json, args.cpu)
    if args.command == "decks":
        return _decks_list(resolve_data_dir(args.data_dir), args.json)
    if args.command in ("import", "export"):
        from studyapp.cli_transfer import run as run_transfer

        return run_transfer(args, resolve_data_dir(args.data_dir))
    if args.command == "stats":
        return _stats_png(resolve_data_dir(args.data_dir), args.png, args.days)
    if args.command == "backup":
        return _backup(
            resolve_data_dir(args.data_dir),
            args.backup_command,
            getattr(args, "file", None),
            getattr(args, "json", False),
        )
    from studyapp.ui.app import run_app

    return run_app(resolve_data_dir(args.data_dir), bench_first_paint=args.bench_first_paint)
