"""Source rules ("no scipy", "no division", "no closed form") read on the AST, robust to aliases."""

from __future__ import annotations

import pytest

from studyapp.core.drills.sandbox.asserts import JudgeFailure
from studyapp.core.drills.sandbox.harness import Context
from studyapp.core.drills.sandbox.source_rules import check_source_rules, forbidden

SCIPY_WAYS = [
    "import scipy\n",
    "import scipy as s\n",
    "import scipy.stats as st\n",
    "from scipy import stats\n",
    "from scipy.stats import t as student\n",
    "s = __import__('scipy')\n",
    "s = __import__('sci' 'py')\n",
    "import importlib\nst = importlib.import_module('scipy.stats')\n",
    "from importlib import import_module\nst = import_module('scipy.stats')\n",
    "import sys\nst = sys.modules['scipy.stats']\n",
]


@pytest.mark.parametrize("source", SCIPY_WAYS)
def test_every_way_of_reaching_a_forbidden_module_is_found(source: str) -> None:
    messages = forbidden(source, modules=("scipy",))
    assert messages, source
    assert all(m.startswith("line ") for m in messages)
    assert any("scipy" in m for m in messages)


def test_message_names_the_line() -> None:
    source = "import numpy as np\n\n\nfrom scipy import stats\n"
    assert forbidden(source, modules=("scipy",)) == [
        "line 4: uses scipy (scipy), which this exercise forbids"
    ]


def test_allowed_code_gives_no_message() -> None:
    source = (
        '"""Uses scipy.stats.t only, as the statement allows."""\n'
        "import numpy as np\n"
        "from scipy import stats\n"
        "def f(x):\n"
        "    return stats.t.sf(np.mean(x), len(x) - 1) * 2\n"
    )
    assert forbidden(source, modules=("scipy.special",), names=("ttest_1samp",)) == []


@pytest.mark.parametrize(
    "source",
    [
        "from scipy import stats\nr = stats.ttest_1samp(x, 0)\n",
        "import scipy.stats as s\nr = s.ttest_1samp(x, 0)\n",
        "from scipy.stats import ttest_1samp as t\n",
        "from scipy import stats\nr = getattr(stats, 'ttest_1samp')(x, 0)\n",
    ],
)
def test_a_forbidden_function_is_found_through_aliases(source: str) -> None:
    assert forbidden(source, names=("ttest_1samp",))


@pytest.mark.parametrize(
    "source",
    [
        "import numpy as np\nw = np.linalg.solve(A, b)\n",
        "import numpy as np\nla = np.linalg\nw = la.inv(A) @ b\n",
        "import numpy as np\nw = getattr(np, 'linalg').pinv(A) @ b\n",
        "from numpy.linalg import lstsq\n",
        "from numpy import linalg\n",
        "import numpy\nw = numpy.polyfit(x, y, 1)\n",
        "import numpy as np\nw = np.matrix(A).I\n",
    ],
)
def test_closed_form_least_squares_is_found(source: str) -> None:
    assert forbidden(source, closed_form=True)


def test_plain_numpy_is_not_a_closed_form() -> None:
    source = "import numpy as np\ndef fit(X, y):\n    return X.T @ (X @ np.zeros(3) - y) * 0.1\n"
    assert forbidden(source, closed_form=True) == []


@pytest.mark.parametrize(
    ("source", "op"),
    [
        ("y = a / b\n", "/"),
        ("a /= b\n", "/"),
        ("q, r = divmod(a, b)\n", "divmod"),
        ("y = a // b\n", "//"),
        ("y = a % b\n", "%"),
        ("import operator\ny = operator.truediv(a, b)\n", "/"),
        ("from operator import truediv as t\n", "/"),
        ("import numpy as np\ny = np.divide(a, b)\n", "/"),
        ("y = a.__truediv__(b)\n", "/"),
        ("y = a * b ** -1\n", "/"),
    ],
)
def test_division_in_any_spelling_is_found(source: str, op: str) -> None:
    messages = forbidden(source, operators=("/", "//", "%", "divmod"))
    assert messages, source
    assert any(op in m for m in messages), messages


def test_no_division_rule_leaves_other_arithmetic_alone() -> None:
    source = "def f(a, b):\n    return a * b + a - b, [a] * 3, a ** 2\n"
    assert forbidden(source, operators=("/", "//", "%", "divmod")) == []


@pytest.mark.parametrize(
    "source",
    [
        "eval('__import__(\"scipy\")')\n",
        "exec(code)\n",
        "import importlib\nm = importlib.import_module(name)\n",
        "import numpy as np\nf = getattr(np, 'lin' + 'alg')\n",
        "m = __builtins__\n",
    ],
)
def test_code_the_check_cannot_read_is_reported(source: str) -> None:
    assert any("line 1" in m or "line 2" in m for m in forbidden(source, modules=("scipy",)))


def test_without_rules_nothing_is_reported() -> None:
    assert forbidden("exec('x = 1 / 2')\nimport scipy\n") == []


def test_a_docstring_mentioning_a_module_is_prose() -> None:
    source = '"""scipy.special.softmax would do this; we do not use it."""\n'
    assert forbidden(source, modules=("scipy",)) == []


def test_unparsable_source_names_the_line() -> None:
    assert forbidden("def f(:\n", modules=("scipy",))[0].startswith("line 1:")


def test_check_source_rules_fails_with_the_statements_words() -> None:
    ctx = Context(source="import numpy as np\nfrom scipy.special import softmax\n")
    with pytest.raises(JudgeFailure) as failure:
        check_source_rules(ctx, rule="numpy only (no scipy.special)", modules=("scipy",))
    message = str(failure.value)
    assert message.startswith("The statement says: numpy only (no scipy.special).")
    assert "line 2" in message
    check_source_rules(Context(source="import numpy as np\n"), rule="x", modules=("scipy",))
