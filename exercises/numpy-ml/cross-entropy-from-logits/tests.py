import warnings

import numpy as np
from scipy.special import logsumexp

from studyapp.core.drills.sandbox.asserts import assert_close, assert_true
from studyapp.core.drills.sandbox.source_rules import check_source_rules


def _reference(logits, targets):
    n = logits.shape[0]
    return float(np.mean(logsumexp(logits, axis=1) - logits[np.arange(n), targets]))


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


def _call(sol, logits, targets, what):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with np.errstate(all="ignore"):
            out = sol.cross_entropy(logits.copy(), targets.copy())
    assert_true(
        isinstance(out, float | np.floating) or (isinstance(out, np.ndarray) and out.shape == ()),
        f"{what} must return a single float (the mean loss), got {type(out).__name__} "
        f"{getattr(out, 'shape', '')}",
    )
    return float(out)


def test_worked_example(sol, ctx):
    logits = np.array([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]])
    targets = np.array([0, 2])
    what = "cross_entropy([[2, 1, 0.1], [0.5, 2.5, 0.3]], [0, 2])"
    out = _call(sol, logits, targets, what)
    assert_close(out, _reference(logits, targets), rtol=ctx.rtol, atol=ctx.atol, what=what)


def test_random_batch(sol, ctx):
    rng = ctx.rng(2)
    logits = rng.normal(scale=3.0, size=(8, 5))
    targets = rng.integers(0, 5, size=8)
    what = "cross_entropy(logits (8, 5), random targets)"
    out = _call(sol, logits, targets, what)
    assert_close(out, _reference(logits, targets), rtol=ctx.rtol, atol=ctx.atol, what=what)


def test_square_batch_targets_are_indices(sol, ctx):
    # N == C: code written for one-hot targets broadcasts the index vector without an error.
    rng = ctx.rng(3)
    logits = rng.normal(scale=2.0, size=(4, 4))
    targets = np.array([3, 0, 2, 3])
    what = "cross_entropy(logits (4, 4), targets [3, 0, 2, 3]) (class indices, not one-hot)"
    out = _call(sol, logits, targets, what)
    assert_close(out, _reference(logits, targets), rtol=ctx.rtol, atol=ctx.atol, what=what)


def test_mean_over_batch(sol, ctx):
    rng = ctx.rng(4)
    logits = rng.normal(size=(6, 3))
    targets = rng.integers(0, 3, size=6)
    single = _call(sol, logits, targets, "cross_entropy(logits (6, 3), targets)")
    doubled = _call(
        sol, np.vstack([logits, logits]), np.concatenate([targets, targets]), "cross_entropy"
    )
    assert_close(
        doubled,
        single,
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="cross_entropy of the batch stacked twice (a mean must not change; a sum doubles)",
    )
    assert_close(
        single,
        _reference(logits, targets),
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="cross_entropy(logits (6, 3), targets)",
    )


def test_large_logits(sol, ctx):
    logits = np.array([[1000.0, 0.0, -1000.0], [1000.0, 1001.0, 1002.0], [-1000.0, -999.0, 0.0]])
    targets = np.array([2, 0, 1])
    what = "cross_entropy([[1000, 0, -1000], [1000, 1001, 1002], [-1000, -999, 0]], [2, 0, 1])"
    out = _call(sol, logits, targets, what)
    assert_true(np.isfinite(out), f"{what} = {out}: must be finite (it is about 1000)")
    assert_close(out, _reference(logits, targets), rtol=ctx.rtol, atol=ctx.atol, what=what)
    rng = ctx.rng(5)
    logits = rng.uniform(-1000.0, 1000.0, size=(7, 6))
    targets = rng.integers(0, 6, size=7)
    what = "cross_entropy(logits uniform in [-1000, 1000], shape (7, 6))"
    out = _call(sol, logits, targets, what)
    assert_close(out, _reference(logits, targets), rtol=ctx.rtol, atol=ctx.atol, what=what)


def test_inputs_are_not_modified(sol, ctx):
    rng = ctx.rng(6)
    logits = rng.normal(scale=4.0, size=(5, 4))
    targets = rng.integers(0, 4, size=5)
    kept = _kept(ctx, logits=logits, targets=targets)
    what = "cross_entropy(logits (5, 4), targets)"
    out = sol.cross_entropy(kept["logits"][0], kept["targets"][0])
    _assert_unchanged(kept, what)
    assert_close(float(out), _reference(logits, targets), rtol=ctx.rtol, atol=ctx.atol, what=what)


def test_numpy_only(sol, ctx):
    check_source_rules(ctx, rule="numpy only", modules=("scipy", "torch", "sklearn"))
