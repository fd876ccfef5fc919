import numpy as np

from studyapp.core.drills.sandbox.asserts import assert_close, assert_true
from studyapp.core.drills.sandbox.source_rules import check_source_rules


def _reference(y_true, y_pred, labels):
    k = len(labels)
    expected = np.zeros((k, k), dtype=np.int64)
    for i, a in enumerate(labels):
        for j, b in enumerate(labels):
            expected[i, j] = sum(
                1 for t, p in zip(y_true, y_pred, strict=True) if t == a and p == b
            )
    return expected


def _check(sol, y_true, y_pred, labels, expected_labels, what):
    got = sol.confusion_matrix(y_true, y_pred, labels=labels)
    assert_true(isinstance(got, np.ndarray), f"{what} must return a numpy array")
    expected = _reference(list(y_true), list(y_pred), list(expected_labels))
    assert_close(got, expected, rtol=0.0, atol=0.0, what=f"{what} (rows true, columns predicted)")
    return got


def test_worked_example(sol, ctx):
    y_true = [0, 0, 1, 1, 1, 2, 2, 2, 2]
    y_pred = [0, 1, 1, 1, 2, 2, 2, 0, 2]
    expected = np.array([[1, 1, 0], [0, 2, 1], [1, 0, 3]], dtype=np.int64)
    got = sol.confusion_matrix(y_true, y_pred)
    what = "confusion_matrix([0, 0, 1, 1, 1, 2, 2, 2, 2], [0, 1, 1, 1, 2, 2, 2, 0, 2])"
    assert_close(got, expected, rtol=0.0, atol=0.0, what=what)


def test_rows_are_true_labels(sol, ctx):
    # Every error is "true 0 predicted 1": only entry [0, 1] may hold them.
    y_true = [0, 0, 0, 0, 1, 1]
    y_pred = [1, 1, 1, 0, 1, 1]
    got = _check(
        sol, y_true, y_pred, None, [0, 1], "confusion_matrix([0,0,0,0,1,1], [1,1,1,0,1,1])"
    )
    assert_true(
        int(got[0, 1]) == 3 and int(got[1, 0]) == 0,
        "three samples are true 0 and predicted 1: they belong in row 0 (true), column 1 (pred)",
    )


def test_given_label_order(sol, ctx):
    y_true = [0, 1, 2, 2, 1, 0, 2, 1]
    y_pred = [0, 2, 2, 1, 1, 0, 0, 1]
    for labels in ([2, 0, 1], [1, 2, 0]):
        _check(sol, y_true, y_pred, labels, labels, f"confusion_matrix(..., labels={labels})")
    labels = ["dog", "cat", "bird"]
    y_true = ["cat", "dog", "bird", "cat", "dog", "cat"]
    y_pred = ["cat", "cat", "bird", "dog", "dog", "bird"]
    _check(sol, y_true, y_pred, labels, labels, f"confusion_matrix(animals, labels={labels})")


def test_labels_outside_the_list_are_ignored(sol, ctx):
    y_true = [0, 1, 2, 3, 1, 2, 3, 0]
    y_pred = [0, 1, 1, 3, 2, 2, 0, 3]
    labels = [3, 1, 2, 7]  # 0 is left out; 7 never occurs
    _check(sol, y_true, y_pred, labels, labels, f"confusion_matrix(..., labels={labels})")


def test_default_labels_are_the_sorted_union(sol, ctx):
    y_true = [5, 2, 5, 9, 2, 5]
    y_pred = [5, 7, 2, 9, 2, 7]  # 7 is only ever predicted
    _check(
        sol, y_true, y_pred, None, [2, 5, 7, 9], "confusion_matrix([5,2,5,9,2,5], [5,7,2,9,2,7])"
    )


def test_random_multiclass(sol, ctx):
    rng = ctx.rng(6)
    y_true = rng.choice([1, 3, 4, 8], size=200, p=[0.5, 0.3, 0.15, 0.05])
    y_pred = np.where(rng.random(200) < 0.3, rng.choice([1, 3, 4, 8], size=200), y_true)
    got = _check(sol, y_true, y_pred, None, [1, 3, 4, 8], "confusion_matrix of 200 random labels")
    assert_true(int(got.sum()) == 200, "the counts of the confusion matrix must add up to N")


def test_numpy_only(sol, ctx):
    check_source_rules(
        ctx,
        rule="use numpy only (no sklearn, scipy, pandas or torch)",
        modules=("sklearn", "scipy", "pandas", "torch"),
    )
