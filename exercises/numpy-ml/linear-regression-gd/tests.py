import numpy as np

from studyapp.core.drills.sandbox.asserts import assert_close, assert_true


def _reference(X, y, w0, b0, lr, epochs):
    """Batch GD on theta = [b, w] with A = [1 | X]; gradient of the MSE is (2/n) A^T r."""
    n = X.shape[0]
    A = np.column_stack([np.ones(n), X])
    theta = np.concatenate([[b0], w0])
    for _ in range(epochs):
        theta = theta - lr * (2.0 / n) * (A.T @ (A @ theta - y))
    return theta[1:], theta[0]


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


def _call(sol, X, y, w0, b0, lr, epochs, what):
    result = sol.fit_linear_regression_gd(X.copy(), y.copy(), w0.copy(), b0, lr, epochs)
    assert_true(
        isinstance(result, tuple | list) and len(result) == 2,
        f"{what} must return a tuple (w, b), got {type(result).__name__}",
    )
    w, b = result
    assert_true(isinstance(w, np.ndarray), f"{what}: w must be a numpy array")
    assert_true(
        isinstance(b, float | np.floating) or (isinstance(b, np.ndarray) and b.shape == ()),
        f"{what}: b must be a float, got {type(b).__name__}",
    )
    return w, float(b)


def test_worked_example(sol, ctx):
    X = np.array([[1.0], [2.0]])
    y = np.array([2.0, 4.0])
    what = "fit_linear_regression_gd(X, y, w0=[0], b0=0, lr=0.1, epochs=1) (worked example)"
    w, b = _call(sol, X, y, np.array([0.0]), 0.0, 0.1, 1, what)
    assert_close(w, np.array([1.0]), rtol=1e-12, atol=1e-12, what=f"w of {what}")
    assert_close(b, 0.6, rtol=1e-12, atol=1e-12, what=f"b of {what}", check_dtype=False)


def test_one_step_gradient(sol, ctx):
    rng = ctx.rng(2)
    n, d = 25, 3
    X = rng.normal(size=(n, d))
    y = rng.normal(loc=1.0, size=n)
    w0 = rng.normal(size=d)
    b0 = float(rng.normal())
    lr = 0.05
    r = X @ w0 + b0 - y
    w_expected = w0 - lr * (2.0 / n) * (X.T @ r)
    b_expected = b0 - lr * (2.0 / n) * r.sum()
    what = "one epoch (lr=0.05) from random w0, b0 on X of shape (25, 3)"
    w, b = _call(sol, X, y, w0, b0, lr, 1, what)
    assert_close(w, w_expected, rtol=1e-10, atol=1e-12, what=f"w after {what}")
    assert_close(b, b_expected, rtol=1e-10, atol=1e-12, what=f"b after {what}", check_dtype=False)


def test_zero_epochs_returns_initial_values(sol, ctx):
    rng = ctx.rng(3)
    X = rng.normal(size=(10, 2))
    y = rng.normal(size=10)
    w0 = np.array([0.25, -1.5])
    w, b = _call(sol, X, y, w0, 0.75, 0.1, 0, "fit_linear_regression_gd(..., epochs=0)")
    assert_close(w, w0, rtol=0.0, atol=0.0, what="w after 0 epochs (must equal w0)")
    assert_close(b, 0.75, rtol=0.0, atol=0.0, what="b after 0 epochs", check_dtype=False)


def test_several_epochs_match_reference(sol, ctx):
    rng = ctx.rng(4)
    n, d = 40, 4
    X = rng.normal(scale=1.2, size=(n, d))
    y = 3.0 + X @ rng.uniform(-2.0, 2.0, size=d) + 0.2 * rng.normal(size=n)
    w0 = rng.normal(size=d)
    b0 = -0.5
    w_ref, b_ref = _reference(X, y, w0, b0, 0.03, 7)
    what = "7 epochs with lr=0.03 on X of shape (40, 4)"
    w, b = _call(sol, X, y, w0, b0, 0.03, 7, what)
    assert_close(w, w_ref, rtol=1e-10, atol=1e-12, what=f"w after {what}")
    assert_close(b, b_ref, rtol=1e-10, atol=1e-12, what=f"b after {what}", check_dtype=False)


def test_converges_to_least_squares(sol, ctx):
    rng = ctx.rng(5)
    n, d = 100, 4
    X = rng.normal(size=(n, d))
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    y = 10.0 + X @ rng.uniform(-3.0, 3.0, size=d) + 0.5 * rng.normal(size=n)
    A = np.column_stack([np.ones(n), X])
    theta, *_ = np.linalg.lstsq(A, y, rcond=None)
    what = "500 epochs with lr=0.1 from w0=0, b0=0 on standardised X (true intercept 10)"
    w, b = _call(sol, X, y, np.zeros(d), 0.0, 0.1, 500, what)
    assert_close(b, theta[0], rtol=1e-6, atol=1e-6, what=f"b after {what}", check_dtype=False)
    assert_close(w, theta[1:], rtol=1e-6, atol=1e-6, what=f"w after {what}")


def test_does_not_modify_the_inputs(sol, ctx):
    rng = ctx.rng(7)
    X = rng.normal(size=(10, 2))
    y = rng.normal(size=10)
    w0 = rng.normal(size=2)
    kept = _kept(ctx, X=X, y=y, w0=w0)
    what = "fit_linear_regression_gd(X (10, 2), y, w0, b0=0.3, lr=0.05, epochs=5)"
    result = sol.fit_linear_regression_gd(kept["X"][0], kept["y"][0], kept["w0"][0], 0.3, 0.05, 5)
    _assert_unchanged(kept, what)
    w_ref, _ = _reference(X, y, w0, 0.3, 0.05, 5)
    assert_close(result[0], w_ref, rtol=1e-10, atol=1e-12, what=f"w after {what}")
