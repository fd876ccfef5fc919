import math

import numpy as np

from studyapp.core.drills.sandbox.asserts import assert_equal, assert_true


def _brute_force(X_train, y_train, X_query, k):
    """Plain Python: sort by (distance, index), count votes, smallest label wins a tie."""
    out = []
    for q in X_query:
        order = sorted(range(len(X_train)), key=lambda i: (math.dist(q, X_train[i]), i))[:k]
        votes = {}
        for i in order:
            votes[int(y_train[i])] = votes.get(int(y_train[i]), 0) + 1
        best = max(votes.values())
        out.append(min(label for label, count in votes.items() if count == best))
    return out


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


def _check(sol, X_train, y_train, X_query, k, what):
    out = sol.knn_predict(X_train.copy(), y_train.copy(), X_query.copy(), k)
    out = np.asarray(out)
    assert_equal(out.shape, (len(X_query),), what=f"shape of {what} (one label per query row)")
    assert_true(out.dtype.kind in "iu", f"{what} must return integer labels, got {out.dtype}")
    assert_equal(out.tolist(), _brute_force(X_train, y_train, X_query, k), what=what)


def test_worked_example(sol, ctx):
    X_train = np.array([[0.0], [1.0], [2.0], [10.0], [11.0]])
    y_train = np.array([1, 1, 0, 0, 0])
    X_query = np.array([[0.4], [9.0], [1.6]])
    _check(sol, X_train, y_train, X_query, 3, "knn_predict(worked example, k=3)")
    _check(sol, X_train, y_train, X_query[2:], 2, "knn_predict(X_train, y_train, [[1.6]], k=2)")


def test_random_matches_brute_force(sol, ctx):
    rng = ctx.rng(2)
    X_train = rng.normal(size=(60, 3))
    y_train = (X_train[:, 0] + 0.8 * rng.normal(size=60) > 0).astype(np.int64)
    y_train[X_train[:, 1] > 1.0] = 2
    X_query = rng.normal(size=(15, 3))
    for k in (1, 5, 8):
        _check(sol, X_train, y_train, X_query, k, f"knn_predict(60 train, 15 queries, k={k})")


def test_vote_tie_goes_to_smallest_label(sol, ctx):
    # Query at 0: neighbours (by distance) have labels 2, 0, 2, 0 -> a 2-2 tie -> label 0,
    # although the nearest neighbour has label 2.
    X_train = np.array([[0.5], [-0.7], [0.9], [1.1], [5.0], [6.0]])
    y_train = np.array([2, 0, 2, 0, 1, 1])
    X_query = np.array([[0.0], [0.6]])
    _check(sol, X_train, y_train, X_query, 4, "knn_predict with a 2-2 vote tie (k=4)")
    _check(sol, X_train, y_train, X_query, 2, "knn_predict with a 1-1 vote tie (k=2)")


def test_distance_tie_goes_to_lower_index(sol, ctx):
    # Training points at -1 (label 1) and +1 (label 0) are equally far from the query 0; with
    # k = 1 the lower training index (0, label 1) is the neighbour.
    X_train = np.array([[-1.0, 0.0], [1.0, 0.0], [0.0, 3.0]])
    y_train = np.array([1, 0, 2])
    X_query = np.array([[0.0, 0.0]])
    _check(sol, X_train, y_train, X_query, 1, "knn_predict with two equidistant points (k=1)")


def test_more_queries_than_training_points(sol, ctx):
    rng = ctx.rng(5)
    X_train = rng.uniform(-2.0, 2.0, size=(7, 2))
    y_train = np.array([0, 1, 2, 0, 1, 2, 1])
    X_query = rng.uniform(-2.0, 2.0, size=(20, 2))
    _check(sol, X_train, y_train, X_query, 3, "knn_predict(7 train, 20 queries, k=3)")


def test_distance_tie_at_the_kth_place(sol, ctx):
    # Distances from the query 0: 1 (label 0), 2 (label 1), then three points at 3 with labels
    # 1, 0, 0. With k = 3 only the first of the tied points (training index 2, label 1) is a
    # neighbour: votes 0, 1, 1 -> 1. Taking every point tied at the k-th distance (5 votes) or
    # the last of them gives 0.
    X_train = np.array([[1.0], [-2.0], [3.0], [-3.0], [3.0]])
    y_train = np.array([0, 1, 1, 0, 0])
    X_query = np.array([[0.0]])
    _check(sol, X_train, y_train, X_query, 3, "knn_predict with 3 points tied at the 3rd place")
    _check(
        sol, X_train, y_train, X_query, 4, "knn_predict with 3 points tied at the 3rd place (k=4)"
    )


def test_inputs_are_not_modified(sol, ctx):
    rng = ctx.rng(6)
    X_train = rng.normal(size=(12, 2))
    y_train = rng.integers(0, 3, size=12)
    X_query = rng.normal(size=(5, 2))
    kept = _kept(ctx, X_train=X_train, y_train=y_train, X_query=X_query)
    what = "knn_predict(X_train (12, 2), y_train, X_query (5, 2), k=3)"
    out = sol.knn_predict(kept["X_train"][0], kept["y_train"][0], kept["X_query"][0], 3)
    assert_equal(np.asarray(out).tolist(), _brute_force(X_train, y_train, X_query, 3), what=what)
    _assert_unchanged(kept, what)
