import numpy as np

from studyapp.core.drills.sandbox.asserts import assert_close, assert_equal, assert_true


def _ref_assign(X, C):
    d2 = np.stack([((X - c) ** 2).sum(axis=1) for c in C], axis=1)
    return d2.argmin(axis=1)


def _reference(X, C0, max_iter):
    C = C0.copy()
    for _ in range(max_iter):
        labels = _ref_assign(X, C)
        onehot = labels[:, None] == np.arange(len(C))[None, :]
        counts = onehot.sum(axis=0)
        sums = onehot.T.astype(np.float64) @ X
        new = np.where(counts[:, None] > 0, sums / np.maximum(counts, 1)[:, None], C)
        if np.array_equal(new, C):
            break
        C = new
    return C, _ref_assign(X, C)


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


def _check(sol, X, C0, max_iter, what, ctx):
    C_expected, labels_expected = _reference(X, C0, max_iter)
    result = sol.kmeans(X.copy(), C0.copy(), max_iter=max_iter)
    assert_true(
        isinstance(result, tuple | list) and len(result) == 2,
        f"{what} must return a tuple (centroids, labels)",
    )
    C, labels = result
    assert_close(C, C_expected, rtol=ctx.rtol, atol=ctx.atol, what=f"centroids of {what}")
    labels = np.asarray(labels)
    assert_true(
        labels.dtype.kind in "iu", f"labels of {what} must be integers, got dtype {labels.dtype}"
    )
    assert_equal(labels.tolist(), labels_expected.tolist(), what=f"labels of {what}")


def _blobs(rng, centers, per, scale):
    return np.vstack([rng.normal(loc=c, scale=scale, size=(per, len(c))) for c in centers])


def test_worked_example(sol, ctx):
    X = np.array([[0.0, 0.0], [0.0, 1.0], [4.0, 0.0], [5.0, 1.0], [5.0, 0.0]])
    C0 = np.array([[0.0, 0.0], [1.0, 0.0]])
    _check(sol, X, C0, 100, "kmeans(X (5, 2), init [[0, 0], [1, 0]]) (worked example)", ctx)


def test_three_blobs(sol, ctx):
    rng = ctx.rng(2)
    X = _blobs(rng, [(0.0, 0.0, 0.0), (4.0, 1.0, -1.0), (-2.0, 5.0, 2.0)], 20, 1.0)
    X = X[rng.permutation(len(X))]
    C0 = X[[0, 1, 2]].copy()
    _check(sol, X, C0, 100, "kmeans on 3 blobs in 3-D, init = the first 3 points", ctx)


def test_max_iter_one_is_a_single_batch_update(sol, ctx):
    # Overlapping clusters: after one iteration the centroids are still far from converged.
    rng = ctx.rng(3)
    X = rng.normal(size=(40, 2)) * np.array([3.0, 1.0])
    C0 = np.array([[-1.0, 0.5], [0.5, -0.5], [2.0, 1.0]])
    _check(sol, X, C0, 1, "kmeans(X (40, 2), C0 (3, 2), max_iter=1)", ctx)
    _check(sol, X, C0, 2, "kmeans(X (40, 2), C0 (3, 2), max_iter=2)", ctx)
    _check(sol, X, C0, 0, "kmeans(X (40, 2), C0 (3, 2), max_iter=0)", ctx)


def test_empty_cluster_keeps_its_centroid(sol, ctx):
    rng = ctx.rng(4)
    X = _blobs(rng, [(0.0, 0.0), (6.0, 6.0)], 15, 0.8)
    C0 = np.array([[0.5, 0.5], [100.0, -100.0], [5.0, 5.0]])
    what = "kmeans with a centroid at (100, -100) that never gets a point"
    _check(sol, X, C0, 50, what, ctx)


def test_converged_result_is_a_fixed_point(sol, ctx):
    rng = ctx.rng(5)
    X = _blobs(rng, [(0.0, 0.0), (3.0, 0.0), (0.0, 3.0), (3.0, 3.0)], 12, 0.7)
    C0 = X[rng.choice(len(X), size=4, replace=False)].copy()
    C, labels = sol.kmeans(X.copy(), C0.copy(), max_iter=200)
    labels = np.asarray(labels)
    for j in range(4):
        if np.any(labels == j):
            assert_close(
                C[j],
                X[labels == j].mean(axis=0),
                rtol=ctx.rtol,
                atol=ctx.atol,
                what=f"centroid {j} after convergence (must be the mean of its points)",
            )
    nearest = _ref_assign(X, np.asarray(C))
    assert_equal(
        labels.tolist(), nearest.tolist(), what="labels (each point's nearest returned centroid)"
    )


def test_inputs_are_not_modified(sol, ctx):
    rng = ctx.rng(6)
    X = _blobs(rng, [(0.0, 0.0), (4.0, 4.0)], 10, 0.8)
    C0 = np.array([[1.0, 1.0], [3.0, 3.0]])
    kept = _kept(ctx, X=X, init_centroids=C0)
    what = "kmeans(X (20, 2), init_centroids (2, 2))"
    C, _ = sol.kmeans(kept["X"][0], kept["init_centroids"][0], max_iter=20)
    C_expected, _ = _reference(X, C0, 20)
    assert_close(C, C_expected, rtol=ctx.rtol, atol=ctx.atol, what=f"centroids of {what}")
    _assert_unchanged(kept, what)
