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


def _reference(X, y):
    """Least squares with an intercept via a QR factorisation of [1 | X] (independent of lstsq)."""
    A = np.column_stack([np.ones(X.shape[0]), X])
    Q, R = np.linalg.qr(A)
    theta = np.linalg.solve(R, Q.T @ y)
    return theta[1:], theta[0]


def _call(sol, X, y, what):
    result = sol.fit_linear_regression(X.copy(), y.copy())
    assert_true(
        isinstance(result, tuple | list) and len(result) == 2,
        f"{what} must return a tuple (w, b), got {type(result).__name__}",
    )
    w, b = result
    assert_true(isinstance(w, np.ndarray), f"{what}: w must be a numpy array")
    assert_true(
        isinstance(b, float | np.floating) or (isinstance(b, np.ndarray) and b.shape == ()),
        f"{what}: b must be a float (the intercept), got {type(b).__name__} "
        f"{getattr(b, 'shape', '')}",
    )
    return w, float(b)


def test_worked_example(sol, ctx):
    X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [2.0, 1.0]])
    y = np.array([3.0, -2.0, 0.0, 2.0])
    what = "fit_linear_regression(X, y) for y = 1 + 2*x1 - 3*x2"
    w, b = _call(sol, X, y, what)
    assert_close(w, np.array([2.0, -3.0]), rtol=1e-9, atol=1e-9, what=f"w of {what}")
    assert_close(b, 1.0, rtol=1e-9, atol=1e-9, what=f"b of {what}", check_dtype=False)


def test_weights_have_shape_d(sol, ctx):
    rng = ctx.rng(2)
    X = rng.normal(size=(30, 4))
    y = rng.normal(size=30)
    w, _ = _call(sol, X, y, "fit_linear_regression(X of shape (30, 4), y)")
    w_ref, _ = _reference(X, y)
    assert_close(w, w_ref, rtol=1e-8, atol=1e-10, what="w for X of shape (30, 4) (must be (d,))")


def test_matches_least_squares_with_intercept(sol, ctx):
    rng = ctx.rng(3)
    n, d = 60, 5
    X = rng.normal(loc=2.0, scale=1.5, size=(n, d))
    y = 4.5 + X @ rng.uniform(-2.0, 2.0, size=d) + 0.3 * rng.normal(size=n)
    what = "fit_linear_regression(X of shape (60, 5), y) with a true intercept of 4.5"
    w, b = _call(sol, X, y, what)
    w_ref, b_ref = _reference(X, y)
    assert_close(w, w_ref, rtol=1e-8, atol=1e-10, what=f"w of {what}")
    assert_close(b, b_ref, rtol=1e-8, atol=1e-10, what=f"b of {what}", check_dtype=False)


def test_minimises_squared_error(sol, ctx):
    # Optimality: the residual of the returned fit is orthogonal to [1 | X] (the normal equation).
    rng = ctx.rng(4)
    X = rng.uniform(-3.0, 3.0, size=(40, 3))
    y = -7.0 + rng.normal(scale=2.0, size=40)
    w, b = _call(sol, X, y, "fit_linear_regression(X of shape (40, 3), y)")
    residual = X @ w + b - y
    A = np.column_stack([np.ones(40), X])
    assert_close(
        A.T @ residual,
        np.zeros(4),
        rtol=0.0,
        atol=1e-8,
        what="A^T (A theta - y) with A = [1 | X] (must be 0 at the least-squares optimum; "
        "its first entry is the sum of the residuals, which the intercept makes 0)",
    )


def test_ill_conditioned_design(sol, ctx):
    # x2 is x1 plus noise of scale 3e-7: cond([1 | X]) is about 6e6, so cond(A^T A) is about
    # 4e13. The coefficients are poorly determined, but the fitted values are not.
    rng = ctx.rng(5)
    n = 80
    x1 = rng.normal(size=n)
    x2 = x1 + 3e-7 * rng.normal(size=n)
    x3 = rng.normal(size=n)
    X = np.column_stack([x1, x2, x3])
    y = 2.0 + x1 - x2 + x3 + 0.1 * rng.normal(size=n)
    w, b = _call(sol, X, y, "fit_linear_regression on nearly collinear features")
    A = np.column_stack([np.ones(n), X])
    theta_ref, *_ = np.linalg.lstsq(A, y, rcond=None)
    assert_close(
        X @ w + b,
        A @ theta_ref,
        rtol=0.0,
        atol=1e-8,
        what="fitted values X @ w + b for nearly collinear features (cond(A) ~ 6e6); "
        "forming A.T @ A loses about 13 of 16 digits here",
    )


def test_does_not_modify_input(sol, ctx):
    rng = ctx.rng(6)
    X = rng.normal(size=(12, 2))
    y = rng.normal(size=12)
    kept = _kept(ctx, X=X, y=y)
    sol.fit_linear_regression(kept["X"][0], kept["y"][0])
    _assert_unchanged(kept, "fit_linear_regression(X (12, 2), y)")


def test_numpy_only(sol, ctx):
    check_source_rules(ctx, rule="numpy only", modules=("scipy", "sklearn", "torch"))
