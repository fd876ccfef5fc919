import warnings

import numpy as np

from studyapp.core.drills.sandbox.asserts import assert_close, assert_true
from studyapp.core.drills.sandbox.source_rules import check_source_rules


def _reference(z, y):
    """-[y log sigma(z) + (1 - y) log(1 - sigma(z))] via log sigma(z) = -logaddexp(0, -z)."""
    log_p = -np.logaddexp(0.0, -z)
    log_1mp = -np.logaddexp(0.0, z)
    return float(np.mean(-(y * log_p + (1.0 - y) * log_1mp)))


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


def _call(sol, z, y, what):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with np.errstate(all="ignore"):
            out = sol.bce_with_logits(z.copy(), y.copy())
    assert_true(
        isinstance(out, float | np.floating) or (isinstance(out, np.ndarray) and out.shape == ()),
        f"{what} must return a single float (the mean loss), got {type(out).__name__} "
        f"{getattr(out, 'shape', '')}",
    )
    return float(out)


def test_worked_example(sol, ctx):
    z, y = np.array([0.0, 2.0]), np.array([1.0, 0.0])
    what = "bce_with_logits([0, 2], [1, 0])"
    expected = (np.log(2.0) + np.log1p(np.exp(2.0))) / 2.0
    assert_close(_call(sol, z, y, what), expected, rtol=ctx.rtol, atol=ctx.atol, what=what)


def test_random_logits_and_labels(sol, ctx):
    rng = ctx.rng(2)
    z = rng.normal(scale=3.0, size=(6, 4))
    y = (rng.uniform(size=(6, 4)) < 0.5).astype(np.float64)
    what = "bce_with_logits(z (6, 4), y in {0, 1})"
    out = _call(sol, z, y, what)
    assert_close(out, _reference(z, y), rtol=ctx.rtol, atol=ctx.atol, what=what)


def test_soft_targets(sol, ctx):
    rng = ctx.rng(3)
    z = rng.normal(scale=2.0, size=10)
    y = rng.uniform(size=10)
    what = "bce_with_logits(z (10,), soft targets y in [0, 1])"
    out = _call(sol, z, y, what)
    assert_close(out, _reference(z, y), rtol=ctx.rtol, atol=ctx.atol, what=what)


def test_logits_plus_minus_100(sol, ctx):
    z = np.array([100.0, -100.0, 100.0, -100.0])
    y = np.array([0.0, 1.0, 1.0, 0.0])
    what = "bce_with_logits([100, -100, 100, -100], [0, 1, 1, 0])"
    out = _call(sol, z, y, what)
    assert_true(np.isfinite(out), f"{what} = {out}: must be finite (it is 50)")
    assert_close(out, _reference(z, y), rtol=ctx.rtol, atol=ctx.atol, what=what)


def test_logits_plus_minus_1000(sol, ctx):
    z = np.array([[1000.0, -1000.0], [1000.0, -1000.0]])
    y = np.array([[0.0, 1.0], [1.0, 0.0]])
    what = "bce_with_logits([[1000, -1000], [1000, -1000]], [[0, 1], [1, 0]])"
    out = _call(sol, z, y, what)
    assert_true(np.isfinite(out), f"{what} = {out}: must be finite (it is 500)")
    assert_close(out, 500.0, rtol=ctx.rtol, atol=ctx.atol, what=what)


def test_inputs_are_not_modified(sol, ctx):
    rng = ctx.rng(6)
    z = rng.normal(scale=4.0, size=(5, 3))
    z[0, :2] = [1000.0, -1000.0]
    y = (rng.uniform(size=(5, 3)) < 0.5).astype(np.float64)
    kept = _kept(ctx, z=z, y=y)
    what = "bce_with_logits(z (5, 3), y)"
    out = sol.bce_with_logits(kept["z"][0], kept["y"][0])
    assert_close(float(out), _reference(z, y), rtol=ctx.rtol, atol=ctx.atol, what=what)
    _assert_unchanged(kept, what)


def test_numpy_only(sol, ctx):
    check_source_rules(ctx, rule="numpy only", modules=("scipy", "torch", "sklearn"))
