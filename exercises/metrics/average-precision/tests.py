import numpy as np

from studyapp.core.drills.sandbox.asserts import assert_close, assert_true
from studyapp.core.drills.sandbox.source_rules import check_source_rules


def _reference(y_true, scores):
    """Step-wise AP by brute force: one threshold per distinct score, highest first."""
    y_true, scores = np.asarray(y_true), np.asarray(scores, dtype=float)
    n_pos = int(np.sum(y_true == 1))
    ap, previous_recall = 0.0, 0.0
    for threshold in sorted(set(scores.tolist()), reverse=True):
        chosen = scores >= threshold
        tp = int(np.sum(chosen & (y_true == 1)))
        precision = tp / int(np.sum(chosen))
        recall = tp / n_pos
        ap += (recall - previous_recall) * precision
        previous_recall = recall
    return ap


def _call(sol, y_true, scores, what):
    got = sol.average_precision(y_true, scores)
    assert_true(got is not None, f"{what} returned None: return the average precision")
    assert_true(isinstance(got, float), f"{what} must return a float, got {type(got).__name__}")
    return got


def test_worked_example(sol, ctx):
    y_true = [1, 0, 1, 1, 0, 0]
    scores = [0.9, 0.8, 0.7, 0.7, 0.4, 0.2]
    what = "average_precision([1, 0, 1, 1, 0, 0], [0.9, 0.8, 0.7, 0.7, 0.4, 0.2])"
    assert_close(_call(sol, y_true, scores, what), 5 / 6, rtol=ctx.rtol, atol=ctx.atol, what=what)


def test_perfect_and_constant_scores(sol, ctx):
    what = "average_precision([0, 1, 0, 1, 1], [0.1, 0.9, 0.3, 0.8, 0.7]) (perfect ranking)"
    got = _call(sol, [0, 1, 0, 1, 1], [0.1, 0.9, 0.3, 0.8, 0.7], what)
    assert_close(got, 1.0, rtol=0, atol=1e-12, what=what)
    y_true = [0, 1, 0, 0, 1, 0, 0, 0]
    what = "average_precision(y, constant scores) (one threshold: precision = positive rate)"
    assert_close(_call(sol, y_true, [0.5] * 8, what), 0.25, rtol=0, atol=1e-12, what=what)


def test_step_wise_sum_without_ties(sol, ctx):
    rng = ctx.rng(3)
    for n, rate in [(40, 0.3), (300, 0.1), (25, 0.6)]:
        y_true = (rng.random(n) < rate).astype(int)
        y_true[0] = 1
        scores = rng.normal(y_true * 1.0, 1.0)
        what = f"average_precision of {n} random scores (no ties)"
        assert_close(
            _call(sol, y_true, scores, what),
            _reference(y_true, scores),
            rtol=ctx.rtol,
            atol=ctx.atol,
            what=f"{what}: sum of (R_k - R_(k-1)) * P_k, not a trapezoid",
        )


def test_tied_scores_form_one_threshold(sol, ctx):
    rng = ctx.rng(4)
    for n in (30, 200):
        y_true = rng.integers(0, 2, size=n)
        y_true[0] = 1
        scores = rng.integers(0, 6, size=n) / 5.0 + 0.1 * y_true * rng.integers(0, 2, size=n)
        scores = np.round(scores, 1)  # many ties, positives and negatives mixed in them
        what = f"average_precision of {n} scores with many ties"
        assert_close(
            _call(sol, y_true, scores, what),
            _reference(y_true, scores),
            rtol=ctx.rtol,
            atol=ctx.atol,
            what=f"{what}: tied scores form one threshold (one point of the PR curve)",
        )
        shuffled = rng.permutation(n)
        assert_close(
            _call(sol, y_true[shuffled], scores[shuffled], what),
            _reference(y_true, scores),
            rtol=ctx.rtol,
            atol=ctx.atol,
            what=f"{what}, samples shuffled (the order of tied samples must not matter)",
        )


def test_random_scores_give_the_positive_rate(sol, ctx):
    rng = ctx.rng(5)
    for rate in (0.1, 0.3):
        y_true = (rng.random(20000) < rate).astype(int)
        scores = rng.random(20000)  # scores unrelated to the labels
        got = _call(sol, y_true, scores, f"average_precision of random scores, rate {rate}")
        positive_rate = float(y_true.mean())
        assert_true(
            abs(got - positive_rate) < 0.02,
            f"average_precision of scores unrelated to the labels is {got:.4f}; it should be "
            f"close to the positive rate {positive_rate:.4f} (a random ranking's precision)",
        )


def test_numpy_only(sol, ctx):
    check_source_rules(
        ctx,
        rule="use numpy only (no sklearn, scipy, pandas or torch)",
        modules=("sklearn", "scipy", "pandas", "torch"),
    )
