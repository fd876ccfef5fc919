import numpy as np

from studyapp.core.drills.sandbox.asserts import assert_equal, assert_true


def _expected(n, k, shuffle, seed):
    """Reference folds: np.array_split puts the n % k extra rows in the first folds."""
    order = np.random.default_rng(seed).permutation(n) if shuffle else np.arange(n)
    folds = []
    for block in np.array_split(order, k):
        test = sorted(int(i) for i in block)
        train = sorted(set(range(n)) - set(test))
        folds.append((train, test))
    return folds


def _call(sol, n, k, shuffle=False, seed=None):
    """Run the solution and return its folds as sorted Python lists, after structural checks."""
    call = f"kfold_indices(n={n}, k={k}, shuffle={shuffle}, seed={seed})"
    result = sol.kfold_indices(n, k, shuffle, seed)
    assert_true(isinstance(result, list), f"{call} must return a list, got {type(result).__name__}")
    assert_equal(len(result), k, what=f"number of folds returned by {call}")
    folds = []
    for i, pair in enumerate(result):
        assert_true(
            isinstance(pair, tuple) and len(pair) == 2,
            f"fold {i} of {call} must be a tuple (train_idx, test_idx)",
        )
        arrays = []
        for name, idx in zip(("train_idx", "test_idx"), pair, strict=True):
            idx = np.asarray(idx)
            assert_true(
                idx.ndim == 1 and (idx.dtype.kind in "iu" or idx.size == 0),
                f"{name} of fold {i} of {call} must be a 1-D integer array; got dtype "
                f"{idx.dtype} and shape {idx.shape}",
            )
            arrays.append(sorted(int(j) for j in idx))
        folds.append(tuple(arrays))
    return folds, call


def test_worked_example(sol, ctx):
    folds, call = _call(sol, 10, 3)
    expected = [
        ([4, 5, 6, 7, 8, 9], [0, 1, 2, 3]),
        ([0, 1, 2, 3, 7, 8, 9], [4, 5, 6]),
        ([0, 1, 2, 3, 4, 5, 6], [7, 8, 9]),
    ]
    for i, (got, want) in enumerate(zip(folds, expected, strict=True)):
        assert_equal(got[1], want[1], what=f"test_idx of fold {i} of {call}")
        assert_equal(got[0], want[0], what=f"train_idx of fold {i} of {call}")


def test_folds_are_disjoint_and_cover_every_row(sol, ctx):
    for shuffle, seed in [(False, None), (True, 7), (True, 12345)]:
        folds, call = _call(sol, 23, 5, shuffle, seed)
        all_test = [j for _, test in folds for j in test]
        counts = np.bincount(np.asarray(all_test, dtype=np.int64), minlength=23)
        assert_true(
            len(all_test) == 23 and bool(np.all(counts == 1)),
            f"the test folds of {call} must be disjoint and together contain every row 0..22 "
            f"exactly once; rows appearing 0 times: {np.flatnonzero(counts == 0).tolist()}, "
            f"more than once: {np.flatnonzero(counts > 1).tolist()}",
        )


def test_fold_sizes(sol, ctx):
    for n, k in [(23, 5), (20, 4), (7, 7), (11, 2)]:
        folds, call = _call(sol, n, k)
        sizes = [len(test) for _, test in folds]
        want = [n // k + 1] * (n % k) + [n // k] * (k - n % k)
        assert_equal(
            sizes,
            want,
            what=f"test fold sizes of {call} (the first n % k folds get one extra row)",
        )


def test_train_is_complement_of_test(sol, ctx):
    for shuffle, seed in [(False, None), (True, 3)]:
        folds, call = _call(sol, 19, 4, shuffle, seed)
        for i, (train, test) in enumerate(folds):
            overlap = sorted(set(train) & set(test))
            assert_true(
                not overlap,
                f"fold {i} of {call}: rows {overlap} are in both train_idx and test_idx",
            )
            assert_equal(
                sorted(set(train) | set(test)),
                list(range(19)),
                what=f"fold {i} of {call}: train_idx and test_idx together",
            )
            assert_equal(len(train), 19 - len(test), what=f"len(train_idx) of fold {i} of {call}")


def test_no_shuffle_keeps_order(sol, ctx):
    want = _expected(17, 4, False, None)
    for seed in (None, 123):
        folds, call = _call(sol, 17, 4, False, seed)
        for i, (got, exp) in enumerate(zip(folds, want, strict=True)):
            assert_equal(
                got[1],
                exp[1],
                what=f"test_idx of fold {i} of {call} (without shuffling the folds are "
                "consecutive blocks of 0..n-1 and the seed is ignored)",
            )
            assert_equal(got[0], exp[0], what=f"train_idx of fold {i} of {call}")


def test_shuffle_uses_seeded_permutation(sol, ctx):
    for n, k, seed in [(29, 6, 2024), (12, 3, 0)]:
        want = _expected(n, k, True, seed)
        folds, call = _call(sol, n, k, True, seed)
        for i, (got, exp) in enumerate(zip(folds, want, strict=True)):
            assert_equal(
                got[1],
                exp[1],
                what=f"test_idx of fold {i} of {call} (expected block {i} of "
                f"np.random.default_rng({seed}).permutation({n}), sorted)",
            )
            assert_equal(got[0], exp[0], what=f"train_idx of fold {i} of {call}")
        again, _ = _call(sol, n, k, True, seed)
        assert_true(again == folds, f"calling {call} twice must give the same folds")


def test_large_input(sol, ctx):
    n, k, seed = 10_007, 10, 99
    want = _expected(n, k, True, seed)
    folds, call = _call(sol, n, k, True, seed)
    for i, (got, exp) in enumerate(zip(folds, want, strict=True)):
        assert_true(got[1] == exp[1], f"test_idx of fold {i} of {call} differs from the expected")
        assert_true(got[0] == exp[0], f"train_idx of fold {i} of {call} differs from the expected")
