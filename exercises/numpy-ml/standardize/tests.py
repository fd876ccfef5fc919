import warnings

import numpy as np

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


def _reference(X):
    n = X.shape[0]
    out = np.empty_like(X)
    for j in range(X.shape[1]):
        col = X[:, j]
        mu = col.sum() / n
        sd = np.sqrt(((col - mu) ** 2).sum() / n)
        out[:, j] = (col - mu) / (sd if sd > 0 else 1.0)
    return out


def _call(sol, X):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with np.errstate(all="ignore"):
            return sol.standardize(X.copy())


def test_worked_example(sol, ctx):
    X = np.array([[1.0, 10.0, 5.0], [2.0, 20.0, 5.0], [3.0, 60.0, 5.0]])
    assert_close(
        _call(sol, X), _reference(X), rtol=ctx.rtol, atol=ctx.atol, what="standardize (example)"
    )


def test_per_feature_with_population_std(sol, ctx):
    rng = ctx.rng(2)
    X = rng.normal(loc=[0.0, 5.0, -3.0, 100.0], scale=[1.0, 0.1, 4.0, 25.0], size=(6, 4))
    out = _call(sol, X)
    assert_close(out, _reference(X), rtol=ctx.rtol, atol=ctx.atol, what="standardize(X (6, 4))")
    assert_close(
        out.mean(axis=0), np.zeros(4), rtol=0.0, atol=1e-9, what="column means of the result"
    )
    assert_close(
        out.std(axis=0),
        np.ones(4),
        rtol=1e-9,
        atol=1e-9,
        what="column population stds (ddof=0) of the result",
    )


def test_constant_column_becomes_zeros(sol, ctx):
    rng = ctx.rng(3)
    X = rng.normal(size=(8, 3))
    X[:, 1] = 7.25
    out = _call(sol, X)
    assert_true(
        bool(np.all(np.isfinite(np.asarray(out, dtype=np.float64)))),
        "standardize(X) with a constant column contains nan or inf: its std is 0; "
        "treat it as 1 so the column becomes zeros",
    )
    assert_close(
        out, _reference(X), rtol=ctx.rtol, atol=ctx.atol, what="standardize(X), column 1 constant"
    )


def test_more_features_than_samples(sol, ctx):
    X = ctx.rng(4).uniform(-10.0, 10.0, size=(3, 5))
    assert_close(
        _call(sol, X), _reference(X), rtol=ctx.rtol, atol=ctx.atol, what="standardize(X (3, 5))"
    )


def test_does_not_modify_input(sol, ctx):
    X = ctx.rng(5).normal(loc=3.0, size=(4, 2))
    kept = _kept(ctx, X=X)
    out = sol.standardize(kept["X"][0])
    _assert_unchanged(kept, "standardize(X (4, 2))")
    assert_close(out, _reference(X), rtol=ctx.rtol, atol=ctx.atol, what="standardize(X (4, 2))")


def test_numpy_only(sol, ctx):
    check_source_rules(ctx, rule="numpy only", modules=("scipy", "sklearn", "torch"))
