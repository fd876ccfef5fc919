import numpy as np

from studyapp.core.drills.sandbox.asserts import assert_close, assert_equal, assert_true
from studyapp.core.drills.sandbox.source_rules import check_source_rules


def _closed_form(x0, lr, steps, a=1.0, c=0.0):
    n = np.arange(steps + 1)
    return c + (x0 - c) * (1.0 - 2.0 * a * lr) ** n


def _check_list(result, steps, what):
    assert_true(result is not None, f"{what} returned None: return the list of iterates")
    assert_true(isinstance(result, list), f"{what} must return a list, got {type(result).__name__}")
    assert_equal(len(result), steps + 1, what=f"len({what}) (x0 plus one iterate per step)")
    assert_true(
        all(isinstance(v, float) for v in result),
        f"every element of {what} must be a float, got {[type(v).__name__ for v in result]}",
    )


def test_returns_steps_plus_one_iterates(sol, ctx):
    what = "gradient_descent(x0=3.0, lr=0.1, steps=5)"
    result = sol.gradient_descent(3.0, 0.1, 5)
    _check_list(result, 5, what)
    assert_equal(result[0], 3.0, what=f"{what}[0] (the first element is x0 itself)")
    assert_equal(
        len(sol.gradient_descent(3.0, 0.1, 0)), 1, what="len(gradient_descent(3.0, 0.1, steps=0))"
    )


def test_single_step_by_hand(sol, ctx):
    what = "gradient_descent(x0=2.0, lr=0.25, steps=1)"
    result = sol.gradient_descent(2.0, 0.25, 1)
    _check_list(result, 1, what)
    # f'(2) = 2 * 1 * (2 - 0) = 4, so x1 = 2 - 0.25 * 4 = 1.
    assert_close(result, [2.0, 1.0], rtol=ctx.rtol, atol=ctx.atol, what=what)


def test_matches_closed_form(sol, ctx):
    rng = ctx.rng(3)
    for _ in range(3):
        x0 = float(rng.uniform(-5.0, 5.0))
        lr = float(rng.uniform(0.02, 0.3))
        a = float(rng.uniform(0.5, 2.0))
        c = float(rng.uniform(-3.0, 3.0))
        what = f"gradient_descent(x0={x0:.4f}, lr={lr:.4f}, steps=12, a={a:.4f}, c={c:.4f})"
        result = sol.gradient_descent(x0, lr, 12, a=a, c=c)
        _check_list(result, 12, what)
        assert_close(result, _closed_form(x0, lr, 12, a, c), rtol=ctx.rtol, atol=1e-10, what=what)


def test_oscillates_when_learning_rate_is_large(sol, ctx):
    # a = 1, lr = 0.75: each step multiplies (x - c) by 1 - 1.5 = -0.5, so x jumps across c.
    what = "gradient_descent(x0=1.0, lr=0.75, steps=6, a=1.0, c=-2.0)"
    result = sol.gradient_descent(1.0, 0.75, 6, a=1.0, c=-2.0)
    _check_list(result, 6, what)
    expected = _closed_form(1.0, 0.75, 6, 1.0, -2.0)
    assert_close(result, expected, rtol=ctx.rtol, atol=1e-10, what=what)


def test_converges_to_minimum(sol, ctx):
    what = "gradient_descent(x0=-4.0, lr=0.1, steps=100, a=1.5, c=2.0)"
    result = sol.gradient_descent(-4.0, 0.1, 100, a=1.5, c=2.0)
    _check_list(result, 100, what)
    last = result[-1]
    assert_true(
        abs(last - 2.0) < 1e-8,
        f"{what}[-1] = {last!r} should be within 1e-8 of the minimum c = 2.0",
    )
    distances = np.abs(np.asarray(result) - 2.0)
    assert_true(
        bool(np.all(distances[1:] < distances[:-1])),
        f"with lr = 0.1 every step of {what} must move closer to c = 2.0",
    )


def test_uses_a_loop_not_the_closed_form(sol, ctx):
    check_source_rules(
        ctx,
        rule="use a loop, not the closed form (no **, pow, np.power, np.cumprod, exp/log)",
        operators=("**",),
        names=(
            "pow",
            "numpy.cumprod",
            "numpy.geomspace",
            "numpy.logspace",
            "numpy.exp",
            "numpy.log",
            "math.exp",
            "math.log",
        ),
    )
