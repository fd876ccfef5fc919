"""``studyapp drill list|run|verify|doctor``: coding drills, headless."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studyapp.cli.common import CommandFailed, data_dir, open_collection, warn

if TYPE_CHECKING:
    from studyapp.core.drills.catalog import Exercise
    from studyapp.core.drills.runner_protocol import RunReport
    from studyapp.core.drills.service import DrillService

__all__ = ["add_parsers"]


def add_parsers(sub: Any) -> None:
    drill = sub.add_parser("drill", help="list, run and verify coding drills")
    drill_sub = drill.add_subparsers(dest="drill_command", metavar="ACTION", required=True)
    drill_list = drill_sub.add_parser("list", help="every drill with its status")
    drill_list.add_argument("--json", action="store_true", help="one JSON object per line")
    drill_list.set_defaults(handler=_list)
    run = drill_sub.add_parser("run", help="run a solution; exit 0 only if all tests pass")
    run.add_argument("slug", help="track/slug or slug, e.g. softmax")
    run.add_argument(
        "--code", type=Path, metavar="FILE", help="the code to run (default: your saved attempt)"
    )
    run.add_argument("--json", action="store_true", help="print the report as JSON")
    run.add_argument("--cpu", action="store_true", help="do not use a GPU")
    run.set_defaults(handler=_run)
    verify = drill_sub.add_parser(
        "verify", help="reference must pass, starter and every mutant must fail"
    )
    verify.add_argument("--json", action="store_true", help="one JSON object per run")
    verify.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="an exercise folder or a folder of tracks (default: the bundled exercises)",
    )
    verify.set_defaults(handler=_verify)
    drill_sub.add_parser(
        "doctor", help="which sandbox protections runs get on this machine"
    ).set_defaults(handler=_doctor)


@contextmanager
def _drills(args: argparse.Namespace) -> Iterator[DrillService]:
    """The drill service over the collection. Works while the window is open: SQLite lets both
    processes write, each change in its own short transaction."""
    from studyapp.core.drills.catalog import load_catalog
    from studyapp.core.drills.service import DrillService

    exercises, problems = load_catalog()
    for problem in problems:
        warn(problem)
    with open_collection(data_dir(args), "drill", "shared") as collection:
        service = DrillService(collection, exercises)
        service.sync()
        yield service


def _list(args: argparse.Namespace) -> int:
    with _drills(args) as service:
        statuses = service.statuses()
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
        if args.json:
            print(json.dumps(row, ensure_ascii=False))
        else:
            mark = "passed" if s.ever_passed else (s.last_outcome or "new")
            torch = " (torch)" if s.needs_torch else ""
            print(f"{s.key:42} {s.difficulty:7} {mark:8} {s.title}{torch}")
    return 0


def _print_report(report: RunReport, as_json: bool) -> None:
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


def _read_code(path: Path | None) -> str | None:
    if path is None:
        return None
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        why = exc.strerror if isinstance(exc, OSError) else "it is not UTF-8 text"
        raise CommandFailed(f"cannot read --code {path}: {why}") from exc


def _run(args: argparse.Namespace) -> int:
    from studyapp.core.drills.runner import TORCH_HINT, DrillRunner, torch_installed

    code_text = _read_code(args.code)
    with _drills(args) as service:
        try:
            exercise = service.exercise(args.slug)
        except KeyError as exc:
            raise CommandFailed(str(exc.args[0])) from exc
        source = code_text if code_text is not None else service.draft(exercise.key)
        if exercise.needs_torch and not torch_installed():
            raise CommandFailed(f"{exercise.title} needs torch: {TORCH_HINT}")
        with DrillRunner() as runner:
            report = runner.run(exercise, source, force_cpu=args.cpu)
        service.record_run(exercise.key, source, report)
    _print_report(report, args.json)
    return 0 if report.passed else 1


def _doctor(args: argparse.Namespace) -> int:
    """One line per sandbox protection, each checked by a confined run; exit 1 when one is
    not enforced here (or did not hold)."""
    from studyapp.core.drills.sandbox import confine

    lines = confine.doctor_lines(check=True)
    for line in lines:
        print(line)
    return 0 if all(line.startswith("on ") for line in lines) else 1


def _verify_targets(paths: list[Path]) -> tuple[list[Exercise], list[str]]:
    """The exercises named on the command line (folders of one exercise or of tracks)."""
    from studyapp.core.drills.catalog import ExerciseError, load_catalog, load_exercise

    if not paths:
        return load_catalog()
    exercises: list[Exercise] = []
    problems: list[str] = []
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


def _verify(args: argparse.Namespace) -> int:
    from studyapp.core.drills.i18n import translation_problems
    from studyapp.core.drills.runner import TORCH_HINT, DrillRunner, torch_installed

    exercises, problems = _verify_targets(args.paths or [])
    # Every statement ships in Russian too, with code blocks identical to the English ones.
    problems += [line for ex in exercises for line in translation_problems(ex.folder)]
    for problem in problems:
        print(f"problem: {problem}")
    surprises = len(problems)
    with DrillRunner() as runner:
        for exercise in exercises:
            if exercise.needs_torch and not torch_installed():
                print(f"skipped  {exercise.key}: needs torch ({TORCH_HINT})")
                continue
            surprises += _verify_one(runner, exercise, args.json)
    if not args.json:
        print(f"{len(exercises)} exercises, {surprises} surprises")
    return 1 if surprises else 0


def _verify_one(runner: Any, exercise: Exercise, as_json: bool) -> int:
    """Run the reference, the starter and every mutant; the number of surprises."""
    runs = [("reference", exercise.solution_path, True), ("starter", exercise.starter_path, False)]
    runs += [(f"mutant {m.name}", m.path, False) for m in exercise.mutants]
    surprises = 0
    for label, path, should_pass in runs:
        report = runner.run(exercise, path.read_text(encoding="utf-8"))
        ok = report.passed == should_pass
        surprises += not ok
        if as_json:
            row = {"exercise": exercise.key, "run": label, "outcome": report.outcome, "ok": ok}
            print(json.dumps(row))
        else:
            verdict = "ok      " if ok else "SURPRISE"
            print(f"{verdict} {exercise.key:42} {label:32} {report.outcome}")
    return surprises
