import numpy as np
from scipy.special import expit

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


_QUIET = """
import warnings

import numpy as np


def call(fn, *args):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with np.errstate(over="warn", divide="warn", invalid="warn", under="ignore"):
            out = fn(*args)
    return out, [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)]
"""


def _quietly(ctx, fn, *args, what):
    """Call fn(*args) in the learner's process (where numpy warns) and fail if numpy emitted an
    overflow / divide / invalid RuntimeWarning there."""
    out, bad = ctx.define(_QUIET).call(fn, *args)
    assert_true(
        not bad,
        f"{what} raised a numpy RuntimeWarning: {bad[0] if bad else ''} "
        "(np.exp of a large positive number overflows; log(0) is -inf)",
    )
    return out


def _ref_loss_grad(X, y, w, b):
    z = X @ w + b
    loss = np.mean(np.logaddexp(0.0, z) - y * z)
    diff = expit(z) - y
    return loss, X.T @ diff / X.shape[0], np.mean(diff)


def _check_loss_grad(result, expected, what, rtol, atol):
    assert_true(
        isinstance(result, tuple | list) and len(result) == 3,
        f"{what} must return a tuple (loss, grad_w, grad_b)",
    )
    loss, grad_w, grad_b = result
    assert_close(float(loss), expected[0], rtol=rtol, atol=atol, what=f"loss of {what}")
    assert_close(grad_w, expected[1], rtol=rtol, atol=atol, what=f"grad_w of {what}")
    assert_close(float(grad_b), expected[2], rtol=rtol, atol=atol, what=f"grad_b of {what}")


def test_sigmoid_matches_reference(sol, ctx):
    z = ctx.rng(1).uniform(-8.0, 8.0, size=(4, 5))
    assert_close(sol.sigmoid(z), expit(z), rtol=ctx.rtol, atol=ctx.atol, what="sigmoid(z), (4, 5)")
    assert_close(
        sol.sigmoid(np.array([0.0, np.log(3.0)])),
        np.array([0.5, 0.75]),
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="sigmoid([0, log 3])",
    )


def test_sigmoid_extreme_logits_without_overflow(sol, ctx):
    z = np.array([-1000.0, -745.0, -100.0, -30.0, 0.0, 30.0, 100.0, 1000.0])
    what = "sigmoid([-1000, -745, -100, -30, 0, 30, 100, 1000])"
    out = _quietly(ctx, sol.sigmoid, z, what=what)
    assert_close(out, expit(z), rtol=ctx.rtol, atol=1e-300, what=what)


def test_loss_and_grad_worked_example(sol, ctx):
    X = np.array([[1.0], [-1.0]])
    y = np.array([1.0, 0.0])
    expected = (np.log(2.0), np.array([-0.5]), 0.0)
    result = sol.loss_and_grad(X, y, np.array([0.0]), 0.0)
    _check_loss_grad(result, expected, "loss_and_grad (worked example)", ctx.rtol, ctx.atol)


def test_loss_and_grad_random(sol, ctx):
    rng = ctx.rng(4)
    n, d = 30, 4
    X = rng.normal(size=(n, d))
    y = (rng.uniform(size=n) < 0.4).astype(np.float64)
    w = rng.normal(scale=1.5, size=d)
    b = 0.7
    expected = _ref_loss_grad(X, y, w, b)
    result = sol.loss_and_grad(X, y, w, b)
    _check_loss_grad(result, expected, "loss_and_grad on X (30, 4)", ctx.rtol, ctx.atol)


def test_loss_stable_for_large_logits(sol, ctx):
    # Logits of +-100 with the wrong labels cost 100 each, with the right labels ~3.7e-44.
    X = np.array([[1.0], [-1.0], [1.0], [-1.0]])
    y = np.array([0.0, 1.0, 1.0, 0.0])
    w = np.array([100.0])
    expected = _ref_loss_grad(X, y, w, 0.0)
    what = "loss_and_grad with logits [100, -100, 100, -100] and labels [0, 1, 1, 0]"
    result = _quietly(ctx, sol.loss_and_grad, X, y, w, 0.0, what=what)
    _check_loss_grad(result, expected, what, ctx.rtol, ctx.atol)


def test_fit_matches_gradient_descent(sol, ctx):
    rng = ctx.rng(6)
    n, d = 40, 3
    X = rng.normal(size=(n, d))
    y = (X @ np.array([1.0, -2.0, 0.5]) + 0.3 * rng.normal(size=n) > 0).astype(np.float64)
    w0 = rng.normal(scale=0.5, size=d)
    w, b = w0.copy(), -0.2
    for _ in range(6):
        _, gw, gb = _ref_loss_grad(X, y, w, b)
        w, b = w - 0.4 * gw, b - 0.4 * gb
    result = sol.fit_logistic_regression(X, y, w0.copy(), -0.2, 0.4, 6)
    assert_true(isinstance(result, tuple | list) and len(result) == 2, "must return (w, b)")
    what = "fit_logistic_regression(X (40, 3), y, w0, b0=-0.2, lr=0.4, epochs=6)"
    assert_close(result[0], w, rtol=1e-9, atol=1e-12, what=f"w of {what}")
    assert_close(float(result[1]), b, rtol=1e-9, atol=1e-12, what=f"b of {what}")


def test_separable_data_is_classified_perfectly(sol, ctx):
    rng = ctx.rng(7)
    X = rng.uniform(-3.0, 3.0, size=(200, 2))
    margin = X[:, 0] - 2.0 * X[:, 1] + 0.5
    X = X[np.abs(margin) > 0.4]
    y = (X[:, 0] - 2.0 * X[:, 1] + 0.5 > 0).astype(np.float64)
    w, b = sol.fit_logistic_regression(X, y, np.zeros(2), 0.0, 0.5, 300)
    p = expit(X @ w + b)
    accuracy = float(np.mean((p >= 0.5) == (y == 1.0)))
    assert_true(
        accuracy == 1.0,
        f"after 300 epochs (lr=0.5) on linearly separable data the accuracy is {accuracy:.3f}, "
        "expected 1.0: check that you step AGAINST the gradient X^T (p - y) / n",
    )
    loss_end = float(np.mean(np.logaddexp(0.0, X @ w + b) - y * (X @ w + b)))
    assert_true(
        loss_end < 0.2,
        f"the loss after training is {loss_end:.4f}; it should fall well below log 2 = 0.693",
    )


def test_loss_and_grad_logits_plus_minus_1000(sol, ctx):
    # np.exp(1000) overflows: log1p(exp(z)) is inf here although it is exact up to |z| ~ 700.
    X = np.array([[1.0], [-1.0], [1.0], [-1.0]])
    y = np.array([0.0, 1.0, 1.0, 0.0])
    w = np.array([1000.0])
    expected = _ref_loss_grad(X, y, w, 0.0)
    what = "loss_and_grad with logits [1000, -1000, 1000, -1000] and labels [0, 1, 1, 0]"
    result = _quietly(ctx, sol.loss_and_grad, X, y, w, 0.0, what=what)
    _check_loss_grad(result, expected, what, ctx.rtol, ctx.atol)


def test_inputs_are_not_modified(sol, ctx):
    rng = ctx.rng(8)
    X = rng.normal(size=(12, 3))
    y = (rng.uniform(size=12) < 0.5).astype(np.float64)
    w0 = rng.normal(size=3)
    kept = _kept(ctx, X=X, y=y, w0=w0)
    what = "fit_logistic_regression(X, y, w0, b0=0.1, lr=0.3, epochs=4)"
    result = sol.fit_logistic_regression(kept["X"][0], kept["y"][0], kept["w0"][0], 0.1, 0.3, 4)
    _assert_unchanged(kept, what)
    w, b = w0.copy(), 0.1
    for _ in range(4):
        _, gw, gb = _ref_loss_grad(X, y, w, b)
        w, b = w - 0.3 * gw, b - 0.3 * gb
    assert_close(result[0], w, rtol=1e-9, atol=1e-12, what=f"w of {what}")
    kept = _kept(ctx, X=X, y=y, w=w0)
    what = "loss_and_grad(X, y, w, b=0.1)"
    sol.loss_and_grad(kept["X"][0], kept["y"][0], kept["w"][0], 0.1)
    _assert_unchanged(kept, what)


def test_numpy_only(sol, ctx):
    check_source_rules(ctx, rule="numpy only (no scipy.special.expit)", modules=("scipy", "torch"))
