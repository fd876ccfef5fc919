import numpy as np

from studyapp.core.drills.sandbox.asserts import assert_close, assert_equal, assert_true


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


def _data(rng, n, d, offset=True):
    """Correlated data with well-separated variances and (optionally) a large non-zero mean."""
    q, _ = np.linalg.qr(rng.normal(size=(d, d)))
    scales = np.geomspace(6.0, 0.4, d)
    X = (rng.normal(size=(n, d)) * scales) @ q.T
    if offset:
        X = X + rng.uniform(4.0, 9.0, size=d)
    return X


def _reference(X, k):
    """Top-k principal axes and ddof=1 variances via the SVD of the centred data."""
    centred = X - X.mean(axis=0)
    _, s, vt = np.linalg.svd(centred, full_matrices=False)
    return vt[:k], s[:k] ** 2 / (X.shape[0] - 1)


def _call(sol, X, k):
    result = sol.pca(X.copy(), k)
    assert_true(
        isinstance(result, tuple) and len(result) == 2,
        "pca(X, k) must return a tuple (components, explained_variance)",
    )
    components, variance = (np.asarray(r) for r in result)
    d = X.shape[1]
    assert_equal(components.shape, (k, d), what=f"components.shape for X of shape {X.shape}, k={k}")
    assert_equal(variance.shape, (k,), what=f"explained_variance.shape for k={k}")
    return components, variance


def _align_signs(components, reference):
    """Flip each row of `components` so that it points the same way as the reference row."""
    signs = np.sign(np.sum(components * reference, axis=1))
    signs[signs == 0] = 1.0
    return components * signs[:, None]


def test_worked_example(sol, ctx):
    X = np.array([[3.0, 1.0], [1.0, 2.0], [-1.0, 1.0], [1.0, 0.0]])
    components, variance = _call(sol, X, 2)
    expected = np.array([[1.0, 0.0], [0.0, 1.0]])
    assert_close(
        _align_signs(components, expected),
        expected,
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="components (up to the sign of each row) for the worked example",
    )
    assert_close(
        variance,
        np.array([8.0 / 3.0, 2.0 / 3.0]),
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="explained_variance for the worked example (ddof=1)",
    )


def test_components_match_svd_up_to_sign(sol, ctx):
    X = _data(ctx.rng(1), 40, 6)
    components, _ = _call(sol, X, 3)
    ref, _ = _reference(X, 3)
    assert_close(
        _align_signs(components, ref),
        ref,
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="components (up to the sign of each row), X of shape (40, 6) with a non-zero mean, "
        "k=3",
    )
    assert_close(
        components.T @ components,
        ref.T @ ref,
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="projection matrix components.T @ components",
    )


def test_rows_are_orthonormal(sol, ctx):
    X = _data(ctx.rng(2), 50, 7)
    components, _ = _call(sol, X, 4)
    assert_close(
        components @ components.T,
        np.eye(4),
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="components @ components.T (rows must be orthonormal)",
    )


def test_explained_variance_sorted_and_unbiased(sol, ctx):
    X = _data(ctx.rng(3), 8, 4)
    _, variance = _call(sol, X, 4)
    assert_true(
        bool(np.all(np.diff(variance) <= 0)),
        f"explained_variance must be sorted in decreasing order; got {variance}",
    )
    _, ref_variance = _reference(X, 4)
    assert_close(
        variance,
        ref_variance,
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="explained_variance for X of shape (8, 4) (sample variance, ddof=1)",
    )


def test_variance_along_each_component(sol, ctx):
    X = _data(ctx.rng(4), 30, 5)
    components, variance = _call(sol, X, 3)
    projected = (X - X.mean(axis=0)) @ components.T
    assert_close(
        variance,
        projected.var(axis=0, ddof=1),
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="explained_variance compared with the ddof=1 variance of the centred data "
        "projected on each returned component",
    )


def test_all_components_keep_total_variance(sol, ctx):
    X = _data(ctx.rng(5), 25, 5)
    components, variance = _call(sol, X, 5)
    ref, _ = _reference(X, 5)
    assert_close(
        _align_signs(components, ref),
        ref,
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="components (up to sign) with k = d = 5",
    )
    assert_close(
        np.sum(variance),
        np.sum(X.var(axis=0, ddof=1)),
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="sum of explained_variance with k = d (must equal the total ddof=1 variance)",
    )


def test_does_not_modify_input(sol, ctx):
    X = _data(ctx.rng(6), 12, 3)
    kept = _kept(ctx, X=X)
    sol.pca(kept["X"][0], 2)
    _assert_unchanged(kept, "pca(X (12, 3), 2)")
