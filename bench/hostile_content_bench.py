"""Hostile card content: how long the renderer and the deck reader take on it, and peak memory.

Issue 11 §4 measured, before the limits: 20 KB of "[" (or "[a](", "<http://") took 46-65 s in
Markdown conversion, ``$a\\hspace{1000000}b$`` allocated 3.6 GiB and ``\\hspace{100000}`` took
6 s. The tests assert the outcomes (plain text, refused formulas); the times live here.

Usage: python bench/hostile_content_bench.py [--size 20000]  (prints a table, then one JSON line)
"""

from __future__ import annotations

import argparse
import contextlib
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from studyapp.core.decks.check import check_paths  # noqa: E402
from studyapp.core.rendering.math_render import MathError, MathRenderer  # noqa: E402
from studyapp.core.rendering.render import LIGHT, Renderer  # noqa: E402

PATTERNS = ("[", "[a](", "<http://", "![", "[[]", "<a ", "<![CDATA[ ", "1. ")
FORMULAS = (
    r"a\hspace{1000000}b",
    r"a\hspace{100000}b",
    r"\hspace{100000}",
    r"\genfrac{(}{)}{1000}{0}{a}{b}",
)


def _timed(action) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    action()
    return round(time.perf_counter() - start, 3)


def _render_formula(renderer: MathRenderer, tex: str) -> None:
    with contextlib.suppress(MathError):
        renderer.render(tex, display=False, color="black")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=20_000, help="characters per hostile side")
    args = parser.parse_args()
    results: dict[str, float] = {}
    renderer = Renderer(MathRenderer())
    renderer.markdown_to_html("warm-up $x$", LIGHT)
    for unit in PATTERNS:
        for size in sorted({args.size, args.size * 4 // 10}):
            text = (unit * (size // len(unit) + 1))[:size]
            results[f"markdown {unit!r} x{size}"] = _timed(
                lambda text=text: renderer.markdown_to_html(text, LIGHT)
            )
    math = MathRenderer()
    for tex in FORMULAS:
        results[f"formula {tex}"] = _timed(lambda tex=tex: _render_formula(math, tex))
    with tempfile.TemporaryDirectory() as folder:
        deck = Path(folder) / "hostile.md"
        deck.write_text(
            "---\ntitle: Hostile\n---\n\n## bomb\nsource: x\n\n### Q\n"
            + "[" * args.size
            + "\n\n### A\n$a\\hspace{1000000}b$\n",
            encoding="utf-8",
        )
        results["check decks hostile.md"] = _timed(lambda: check_paths([deck]))
    width = max(map(len, results))
    for name, seconds in results.items():
        print(f"{name:<{width}}  {seconds:8.3f} s")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'peak RSS':<{width}}  {peak_mb:8.0f} MB")
    print(json.dumps({**results, "peak_rss_mb": round(peak_mb)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
