import warnings

import numpy as np
from scipy.special import log_softmax as ref_log_softmax

from studyapp.core.drills.sandbox.asserts import assert_close, assert_true
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


def _call(sol, x):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with np.errstate(all="ignore"):
            return sol.log_softmax(x)


def test_worked_example(sol, ctx):
    out = _call(sol, np.array([1.0, 2.0, 3.0]))
    expected = np.array([1.0, 2.0, 3.0]) - (3.0 + np.log(1.0 + np.exp(-1.0) + np.exp(-2.0)))
    assert_close(out, expected, rtol=ctx.rtol, atol=ctx.atol, what="log_softmax([1, 2, 3])")


def test_matches_reference_2d(sol, ctx):
    x = ctx.rng(2).normal(scale=3.0, size=(5, 7))
    out = _call(sol, x)
    assert_close(
        out,
        ref_log_softmax(x, axis=-1),
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="log_softmax(x), (5, 7)",
    )
    assert_close(
        np.exp(out).sum(axis=-1),
        np.ones(5),
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="exp(log_softmax(x)).sum(axis=-1) (must be 1 for every row)",
    )


def test_3d_input_uses_last_axis(sol, ctx):
    x = ctx.rng(3).normal(scale=2.0, size=(2, 3, 4))
    assert_close(
        _call(sol, x),
        ref_log_softmax(x, axis=-1),
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="log_softmax(x), x of shape (2, 3, 4)",
    )


def test_large_logits_are_finite_and_exact(sol, ctx):
    x = np.array(
        [
            [1000.0, 1001.0, 1002.0],
            [-1000.0, -1001.0, -1002.0],
            [1000.0, 0.0, -1000.0],
        ]
    )
    out = _call(sol, x)
    what = "log_softmax([[1000, 1001, 1002], [-1000, -1001, -1002], [1000, 0, -1000]])"
    assert_true(
        bool(np.all(np.isfinite(np.asarray(out, dtype=np.float64)))),
        f"{what} contains -inf, inf or nan: log(softmax(x)) turns an underflowed probability "
        "exp(-2000) = 0 into -inf, and np.exp(1000) overflows",
    )
    assert_close(out, ref_log_softmax(x, axis=-1), rtol=ctx.rtol, atol=ctx.atol, what=what)


def test_random_extreme_rows(sol, ctx):
    x = ctx.rng(5).uniform(-1000.0, 1000.0, size=(6, 9))
    assert_close(
        _call(sol, x),
        ref_log_softmax(x, axis=-1),
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="log_softmax(x), x uniform in [-1000, 1000], shape (6, 9)",
    )


def test_shift_invariance(sol, ctx):
    rng = ctx.rng(6)
    x = rng.normal(size=(3, 5))
    c = rng.uniform(-500.0, 500.0, size=(3, 1))
    assert_close(
        _call(sol, x + c),
        ref_log_softmax(x, axis=-1),
        rtol=ctx.rtol,
        atol=1e-9,
        what="log_softmax(x + c) for a different large constant c per row",
    )


def test_inputs_are_not_modified(sol, ctx):
    x = ctx.rng(7).normal(scale=5.0, size=(4, 6))
    kept = _kept(ctx, x=x)
    what = "log_softmax(x (4, 6))"
    out = sol.log_softmax(kept["x"][0])
    assert_close(out, ref_log_softmax(x, axis=-1), rtol=ctx.rtol, atol=ctx.atol, what=what)
    _assert_unchanged(kept, what)


def test_numpy_only(sol, ctx):
    check_source_rules(ctx, rule="numpy only (no scipy.special)", modules=("scipy", "torch"))
