import numpy as np

from studyapp.core.drills.sandbox.asserts import assert_close, assert_equal, assert_true
from studyapp.core.drills.sandbox.source_rules import check_source_rules


def _kept(ctx, **arrays):
    """Each input kept in the learner's process (a handle) with a copy here: a plain call copies
    the data both ways and hides an in-place change; a handle shows it."""
    return {name: (ctx.send(a), a.copy()) for name, a in arrays.items()}


def _assert_unchanged(kept, call):
    for name, (handle, before) in kept.items():
        after = np.asarray(handle.value())
        assert_true(
            after.shape == before.shape and np.array_equal(after, before, equal_nan=True),
            f"{call} changed its input {name} in place; the statement says not to modify the "
            f"inputs: work on a copy ({name}.copy()) or build new arrays",
        )


def _reference(x):
    """Softmax via log-sum-exp over the last axis, written independently of the solution."""
    m = np.max(x, axis=-1, keepdims=True)
    log_norm = m + np.log(np.sum(np.exp(x - m), axis=-1, keepdims=True))
    return np.exp(x - log_norm)


def test_output_is_a_probability_distribution(sol, ctx):
    x = ctx.rng(1).normal(scale=2.0, size=(4, 6))
    out = sol.softmax(x)
    assert_close(
        out, _reference(x), rtol=ctx.rtol, atol=ctx.atol, what="softmax(x), x of shape (4, 6)"
    )
    assert_true(
        bool(np.all((out > 0) & (out <= 1))),
        "every softmax value must lie in (0, 1]; got values outside it",
    )
    assert_close(
        out.sum(axis=-1),
        np.ones(4),
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="softmax(x).sum(axis=-1) (each row of a (4, 6) input must sum to 1)",
    )


def test_1d_input(sol, ctx):
    example = np.array([1.0, 2.0, 3.0])
    assert_close(
        sol.softmax(example),
        np.array([0.09003057317038046, 0.24472847105479767, 0.6652409557748219]),
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="softmax([1.0, 2.0, 3.0])",
    )
    x = ctx.rng(2).normal(scale=3.0, size=7)
    assert_close(
        sol.softmax(x),
        _reference(x),
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="softmax(x), x of shape (7,)",
    )


def test_matches_reference_2d(sol, ctx):
    x = ctx.rng(3).normal(scale=3.0, size=(5, 7))
    assert_close(
        sol.softmax(x),
        _reference(x),
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="softmax(x), x of shape (5, 7)",
    )


def test_3d_input_normalises_last_axis(sol, ctx):
    x = ctx.rng(4).normal(scale=2.0, size=(2, 3, 4))
    out = sol.softmax(x)
    assert_close(
        out, _reference(x), rtol=ctx.rtol, atol=ctx.atol, what="softmax(x), x of shape (2, 3, 4)"
    )
    assert_close(
        out.sum(axis=-1),
        np.ones((2, 3)),
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="softmax(x).sum(axis=-1) for x of shape (2, 3, 4)",
    )


def test_shift_invariance(sol, ctx):
    rng = ctx.rng(5)
    x = rng.normal(scale=2.0, size=(3, 5))
    c = rng.uniform(-40.0, 40.0, size=(3, 1))
    assert_close(
        sol.softmax(x + c),
        sol.softmax(x),
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="softmax(x + c) compared with softmax(x) (c is a different constant per row)",
    )
    assert_close(
        sol.softmax(x + c), _reference(x), rtol=ctx.rtol, atol=ctx.atol, what="softmax(x + c)"
    )


def test_large_logits_do_not_overflow(sol, ctx):
    x = np.array(
        [
            [1000.0, 1001.0, 1002.0],
            [-1000.0, -1001.0, -1002.0],
            [1000.0, 0.0, -1000.0],
        ]
    )
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        out = sol.softmax(x)
    out_array = np.asarray(out)
    assert_equal(out_array.shape, (3, 3), what="softmax(x).shape for x of shape (3, 3)")
    assert_true(
        bool(np.all(np.isfinite(out_array))),
        "softmax([[1000, 1001, 1002], [-1000, -1001, -1002], [1000, 0, -1000]]) contains nan or "
        "inf "
        "(note that np.exp(1000) overflows to inf and np.exp(-1000) underflows to 0)",
    )
    expected = np.array(
        [
            [0.09003057317038046, 0.24472847105479767, 0.6652409557748219],
            [0.6652409557748219, 0.24472847105479767, 0.09003057317038046],
            [1.0, 0.0, 0.0],
        ]
    )
    assert_close(
        out,
        expected,
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="softmax([[1000, 1001, 1002], [-1000, -1001, -1002], [1000, 0, -1000]])",
    )


def test_does_not_modify_input(sol, ctx):
    x = ctx.rng(7).normal(scale=5.0, size=(2, 5))
    kept = _kept(ctx, x=x)
    out = sol.softmax(kept["x"][0])
    _assert_unchanged(kept, "softmax(x (2, 5))")
    assert_close(out, _reference(x), rtol=ctx.rtol, atol=ctx.atol, what="softmax(x (2, 5))")


def test_numpy_only(sol, ctx):
    check_source_rules(
        ctx, rule="numpy only (no scipy.special.softmax)", modules=("scipy", "torch")
    )
