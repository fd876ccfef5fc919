import numpy as np

from studyapp.core.drills.sandbox.asserts import assert_close, assert_equal, assert_true


def _child_impurity(labels, n_classes, criterion):
    """Impurity of one child from its class counts; a pure or empty child has impurity 0."""
    counts = np.bincount(labels, minlength=n_classes).astype(float)
    if counts.sum() == 0:
        return 0.0
    p = counts / counts.sum()
    if criterion == "gini":
        return 1.0 - float(np.dot(p, p))
    nz = p[p > 0]
    return float(-(nz * np.log2(nz)).sum())


def _brute_force(X, y, criterion):
    """Every (feature, midpoint) candidate with its weighted child impurity, in scan order."""
    n_classes = int(y.max()) + 1
    candidates = []
    for j in range(X.shape[1]):
        values = sorted(set(X[:, j].tolist()))
        for i in range(len(values) - 1):
            a, b = values[i], values[i + 1]
            t = (a + b) / 2.0
            mask = X[:, j] <= t
            left, right = y[mask], y[~mask]
            score = (
                len(left) * _child_impurity(left, n_classes, criterion)
                + len(right) * _child_impurity(right, n_classes, criterion)
            ) / len(y)
            candidates.append((j, t, score))
    return candidates


def _expected(X, y, criterion):
    if len(set(y.tolist())) <= 1:
        return None
    candidates = _brute_force(X, y, criterion)
    if not candidates:
        return None
    best = min(score for _, _, score in candidates)
    # The first candidate (lowest feature, then lowest threshold) within 1e-12 of the minimum.
    return next(c for c in candidates if c[2] <= best + 1e-12)


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


def _check(sol, ctx, X, y, criterion, label):
    got = sol.best_split(X.copy(), y.copy(), criterion)
    want = _expected(X, y, criterion)
    if want is None:
        assert_true(got is None, f"best_split({label}, {criterion!r}) must be None, got {got!r}")
        return
    assert_true(
        isinstance(got, tuple | list) and len(got) == 3,
        f"best_split({label}, {criterion!r}) must return (feature, threshold, score), got {got!r}",
    )
    feature, threshold, score = got
    assert_close(
        float(score),
        want[2],
        rtol=ctx.rtol,
        atol=ctx.atol,
        what=f"score (weighted child {criterion}) of best_split({label})",
    )
    assert_equal(int(feature), want[0], what=f"feature of best_split({label}, {criterion!r})")
    assert_close(
        float(threshold),
        want[1],
        rtol=ctx.rtol,
        atol=ctx.atol,
        what=f"threshold of best_split({label}, {criterion!r})",
    )


def test_worked_example(sol, ctx):
    X = np.array([[1.0], [2.0], [3.0], [4.0], [5.0]])
    y = np.array([0, 0, 1, 0, 1])
    got = sol.best_split(X, y, "gini")
    assert_true(got is not None, "best_split of the worked example returned None")
    assert_equal(int(got[0]), 0, what="feature of the worked example (gini)")
    assert_close(float(got[1]), 2.5, rtol=ctx.rtol, atol=ctx.atol, what="threshold (gini)")
    assert_close(float(got[2]), 4.0 / 15.0, rtol=ctx.rtol, atol=ctx.atol, what="score (gini)")
    got = sol.best_split(X, y, "entropy")
    expected_entropy = 0.6 * -(1 / 3 * np.log2(1 / 3) + 2 / 3 * np.log2(2 / 3))
    assert_close(
        float(got[2]), expected_entropy, rtol=ctx.rtol, atol=ctx.atol, what="score (entropy)"
    )


def test_gini_matches_brute_force(sol, ctx):
    rng = ctx.rng(1)
    for trial in range(3):
        X = rng.normal(size=(30, 3))
        y = rng.integers(0, 3, size=30)
        y[:3] = [0, 1, 2]
        X[:, 1] += 1.5 * y  # feature 1 is informative
        _check(sol, ctx, X, y, "gini", f"random X (30, 3), 3 classes, trial {trial}")


def test_entropy_matches_brute_force(sol, ctx):
    rng = ctx.rng(2)
    for trial in range(3):
        X = rng.normal(size=(25, 4))
        y = rng.integers(0, 2, size=25)
        y[:2] = [0, 1]
        X[:, 2] += 1.2 * y
        _check(sol, ctx, X, y, "entropy", f"random X (25, 4), 2 classes, trial {trial}")


def test_repeated_feature_values(sol, ctx):
    # Many equal values: a threshold can only separate DISTINCT values, x <= t goes left.
    rng = ctx.rng(3)
    X = rng.integers(0, 4, size=(40, 2)).astype(float)
    y = (X[:, 0] + rng.normal(scale=1.0, size=40) > 1.5).astype(int)
    y[:2] = [0, 1]
    for criterion in ("gini", "entropy"):
        _check(sol, ctx, X, y, criterion, "integer-valued X (40, 2) with repeats")
    X = np.array([[1.0], [1.0], [1.0], [2.0], [2.0]])
    y = np.array([0, 0, 1, 1, 1])
    _check(sol, ctx, X, y, "gini", "X = [1, 1, 1, 2, 2], y = [0, 0, 1, 1, 1]")


def test_ties_choose_lowest_feature_then_threshold(sol, ctx):
    # Features 0 and 1 are identical: the split on feature 0 must be returned.
    X = np.array([[1.0, 1.0, 5.0], [2.0, 2.0, 4.0], [3.0, 3.0, 3.0], [4.0, 4.0, 2.0]])
    y = np.array([0, 1, 1, 0])
    for criterion in ("gini", "entropy"):
        _check(sol, ctx, X, y, criterion, "tied features [[1,1,5],[2,2,4],[3,3,3],[4,4,2]]")
    # Symmetric labels: thresholds 1.5 and 3.5 tie; the lower one wins.
    X = np.array([[1.0], [2.0], [3.0], [4.0]])
    y = np.array([0, 1, 1, 0])
    got = sol.best_split(X, y, "gini")
    assert_true(got is not None, "best_split([1, 2, 3, 4], y = [0, 1, 1, 0]) returned None")
    assert_close(float(got[1]), 1.5, rtol=ctx.rtol, atol=ctx.atol, what="threshold for tied splits")


def test_pure_node_and_constant_features(sol, ctx):
    X = ctx.rng(5).normal(size=(6, 2))
    for criterion in ("gini", "entropy"):
        got = sol.best_split(X, np.full(6, 2), criterion)
        assert_true(
            got is None,
            f"best_split of a pure node (all labels 2) must be None ({criterion}), got {got!r}",
        )
    X = np.ones((5, 3))
    got = sol.best_split(X, np.array([0, 1, 0, 1, 1]), "gini")
    assert_true(got is None, f"best_split with all features constant must be None, got {got!r}")
    # A perfect split exists: its score is exactly 0 (pure children).
    X = np.array([[0.3], [0.1], [0.9], [0.7]])
    y = np.array([1, 1, 0, 0])
    for criterion in ("gini", "entropy"):
        _check(sol, ctx, X, y, criterion, "X = [0.3, 0.1, 0.9, 0.7], y = [1, 1, 0, 0]")


def test_inputs_are_not_modified(sol, ctx):
    rng = ctx.rng(6)
    X = rng.normal(size=(20, 3))
    y = rng.integers(0, 3, size=20)
    y[:3] = [0, 1, 2]
    X[:, 2] += 1.5 * y
    kept = _kept(ctx, X=X, y=y)
    what = "best_split(X (20, 3), y, 'gini')"
    got = sol.best_split(kept["X"][0], kept["y"][0], "gini")
    want = _expected(X, y, "gini")
    assert_true(
        isinstance(got, tuple | list) and len(got) == 3 and int(got[0]) == want[0],
        f"{what} = {got!r}; expected feature {want[0]} at threshold {want[1]:.6f}",
    )
    _assert_unchanged(kept, what)
