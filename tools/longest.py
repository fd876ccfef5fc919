"""The longest functions and classes in ``studyapp/`` (issue 12: functions <= 80 lines, classes
<= 400). Prints the top N of each, then one JSON line; exits 1 if a limit is exceeded.

    python tools/longest.py [N]
"""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path

FUNCTION_LIMIT, CLASS_LIMIT = 80, 400
ROOT = Path(__file__).resolve().parents[1] / "studyapp"


def spans() -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    functions, classes = [], []
    for path in sorted(ROOT.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                assert node.end_lineno is not None
                where = f"{path.relative_to(ROOT.parent)}:{node.lineno} {node.name}"
                size = node.end_lineno - node.lineno + 1
                (classes if isinstance(node, ast.ClassDef) else functions).append((size, where))
    return sorted(functions, reverse=True), sorted(classes, reverse=True)


def main() -> int:
    top = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    functions, classes = spans()
    for title, rows in (("functions", functions), ("classes", classes)):
        print(f"longest {title}:")
        for size, where in rows[:top]:
            print(f"  {size:5}  {where}")
    over = [w for s, w in functions if s > FUNCTION_LIMIT] + [
        w for s, w in classes if s > CLASS_LIMIT
    ]
    summary = {"longest_function": functions[0][0], "longest_class": classes[0][0], "over": over}
    print(json.dumps(summary))
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
