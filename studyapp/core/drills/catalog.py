"""The exercise catalogue: folders under ``exercises/<track>/<slug>/`` described by
``exercise.toml`` (format in ``exercises/README.md``).

Why a folder per exercise with plain files: authors edit a statement, a starter, a reference,
tests and named wrong solutions ("mutants") side by side, and ``studyapp drill verify`` proves
that the tests accept the reference and reject the starter and every mutant.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from studyapp.resources import bundled

__all__ = [
    "Exercise",
    "ExerciseError",
    "Mutant",
    "bundled_exercises_dir",
    "load_catalog",
    "load_exercise",
]

_DIFFICULTIES = ("easy", "medium", "hard")
_REQUIREMENTS = ("numpy", "torch")
_KEYS = {
    "title",
    "difficulty",
    "tags",
    "requires",
    "time_limit_s",
    "memory_mb",
    "rtol",
    "atol",
    "gpu_rtol",
    "gpu_atol",
    "mutants",
    "hints",
}


class ExerciseError(ValueError):
    """A malformed exercise folder; the message names the file and the field."""


@dataclass(frozen=True, slots=True)
class Mutant:
    """A named typical wrong solution that the tests must reject."""

    name: str
    path: Path
    why: str


@dataclass(frozen=True, slots=True)
class Exercise:
    """One exercise as its files describe it."""

    slug: str
    track: str
    folder: Path
    title: str
    difficulty: str
    tags: tuple[str, ...]
    requires: tuple[str, ...]
    time_limit_s: float
    memory_mb: int
    rtol: float
    atol: float
    gpu_rtol: float
    gpu_atol: float
    mutants: tuple[Mutant, ...]
    hints: dict[str, str] = field(default_factory=dict)

    @property
    def key(self) -> str:
        """Stable id across the app (the SM-2 item key): ``track/slug``."""
        return f"{self.track}/{self.slug}"

    @property
    def statement_path(self) -> Path:
        return self.folder / "README.md"

    @property
    def starter_path(self) -> Path:
        return self.folder / "starter.py"

    @property
    def solution_path(self) -> Path:
        return self.folder / "solution.py"

    @property
    def tests_path(self) -> Path:
        return self.folder / "tests.py"

    @property
    def needs_torch(self) -> bool:
        return "torch" in self.requires


def bundled_exercises_dir() -> Path:
    """The exercises shipped with the app (``exercises/`` at the top of the source tree)."""
    return bundled("exercises")


def _number(meta: dict, key: str, default: float, path: Path) -> float:
    value = meta.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise ExerciseError(f"{path}: '{key}' must be a non-negative number, got {value!r}")
    return float(value)


def load_exercise(folder: Path) -> Exercise:
    """Read one exercise folder; raise ExerciseError naming the file and field on any problem."""
    meta_path = folder / "exercise.toml"
    try:
        meta = tomllib.loads(meta_path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ExerciseError(f"{meta_path}: cannot read: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ExerciseError(f"{meta_path}: {exc}") from exc
    unknown = sorted(set(meta) - _KEYS)
    if unknown:
        raise ExerciseError(f"{meta_path}: unknown field {unknown[0]!r}")
    for required in ("title", "difficulty", "requires"):
        if required not in meta:
            raise ExerciseError(f"{meta_path}: missing field {required!r}")
    if meta["difficulty"] not in _DIFFICULTIES:
        raise ExerciseError(f"{meta_path}: 'difficulty' must be one of {', '.join(_DIFFICULTIES)}")
    requires = tuple(meta["requires"])
    if any(r not in _REQUIREMENTS for r in requires):
        raise ExerciseError(f"{meta_path}: 'requires' may list only {', '.join(_REQUIREMENTS)}")
    for name in ("README.md", "starter.py", "solution.py", "tests.py"):
        if not (folder / name).is_file():
            raise ExerciseError(f"{folder / name}: missing")
    mutants = []
    for name, why in dict(meta.get("mutants", {})).items():
        path = folder / "mutants" / f"{name}.py"
        if not path.is_file():
            raise ExerciseError(f"{meta_path}: mutant {name!r} has no file {path}")
        mutants.append(Mutant(name, path, str(why)))
    if len(mutants) < 3:
        raise ExerciseError(f"{meta_path}: needs at least three mutants, has {len(mutants)}")
    rtol = _number(meta, "rtol", 1e-6, meta_path)
    atol = _number(meta, "atol", 1e-8, meta_path)
    return Exercise(
        slug=folder.name,
        track=folder.parent.name,
        folder=folder,
        title=str(meta["title"]),
        difficulty=meta["difficulty"],
        tags=tuple(meta.get("tags", ())),
        requires=requires,
        time_limit_s=_number(meta, "time_limit_s", 10.0, meta_path),
        memory_mb=int(_number(meta, "memory_mb", 2048, meta_path)),
        rtol=rtol,
        atol=atol,
        gpu_rtol=_number(meta, "gpu_rtol", max(rtol, 2e-3), meta_path),
        gpu_atol=_number(meta, "gpu_atol", max(atol, 1e-4), meta_path),
        mutants=tuple(mutants),
        hints={str(k): str(v) for k, v in dict(meta.get("hints", {})).items()},
    )


def load_catalog(root: Path | None = None) -> tuple[list[Exercise], list[str]]:
    """Every exercise under ``root`` sorted by track and slug, and the problems found."""
    root = root or bundled_exercises_dir()
    exercises, problems = [], []
    for meta in sorted(root.glob("*/*/exercise.toml")):
        try:
            exercises.append(load_exercise(meta.parent))
        except ExerciseError as exc:
            problems.append(str(exc))
    return exercises, problems
