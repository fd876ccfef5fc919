import numpy as np
from scipy import stats

from studyapp.core.drills.sandbox.asserts import assert_close, assert_true
from studyapp.core.drills.sandbox.source_rules import check_source_rules


def _pairwise(y_true, scores):
    """Every (positive, negative) pair: 1 if the positive is higher, 1/2 if tied."""
    y_true, scores = np.asarray(y_true), np.asarray(scores, dtype=float)
    pos, neg = scores[y_true == 1], scores[y_true == 0]
    wins = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    return float(wins / (pos.size * neg.size))


def _mann_whitney(y_true, scores):
    y_true, scores = np.asarray(y_true), np.asarray(scores, dtype=float)
    pos, neg = scores[y_true == 1], scores[y_true == 0]
    u = stats.mannwhitneyu(pos, neg, alternative="two-sided").statistic
    return float(u / (pos.size * neg.size))


def _call(sol, y_true, scores, what):
    got = sol.roc_auc(y_true, scores)
    assert_true(got is not None, f"{what} returned None: return the AUC")
    assert_true(isinstance(got, float), f"{what} must return a float, got {type(got).__name__}")
    return got


def test_worked_example(sol, ctx):
    y_true = [0, 0, 1, 1, 0, 1]
    scores = [0.1, 0.4, 0.35, 0.8, 0.35, 0.35]
    what = "roc_auc([0, 0, 1, 1, 0, 1], [0.1, 0.4, 0.35, 0.8, 0.35, 0.35])"
    assert_close(_call(sol, y_true, scores, what), 6 / 9, rtol=ctx.rtol, atol=ctx.atol, what=what)
    what = "roc_auc([0, 1, 0, 1], [0.2, 0.9, 0.3, 0.7]) (perfect ranking)"
    assert_close(
        _call(sol, [0, 1, 0, 1], [0.2, 0.9, 0.3, 0.7], what), 1.0, rtol=0, atol=1e-12, what=what
    )
    what = "roc_auc([0, 1, 0, 1], [0.9, 0.2, 0.7, 0.3]) (reversed ranking)"
    assert_close(
        _call(sol, [0, 1, 0, 1], [0.9, 0.2, 0.7, 0.3], what), 0.0, rtol=0, atol=1e-12, what=what
    )


def test_equals_mann_whitney_probability(sol, ctx):
    rng = ctx.rng(2)
    for n_pos, n_neg, shift in [(30, 70, 0.8), (120, 40, 0.3), (5, 9, 1.5)]:
        y_true = np.array([1] * n_pos + [0] * n_neg)
        scores = np.concatenate([rng.normal(shift, 1.0, n_pos), rng.normal(0.0, 1.0, n_neg)])
        perm = rng.permutation(y_true.size)
        y_true, scores = y_true[perm], scores[perm]
        what = f"roc_auc with {n_pos} positives and {n_neg} negatives"
        got = _call(sol, y_true, scores, what)
        assert_close(
            got,
            _mann_whitney(y_true, scores),
            rtol=ctx.rtol,
            atol=ctx.atol,
            what=f"{what} vs Mann-Whitney U / (n_pos * n_neg)",
        )


def test_ties_count_one_half(sol, ctx):
    what = "roc_auc([0, 1], [0.5, 0.5]) (one tied pair)"
    assert_close(_call(sol, [0, 1], [0.5, 0.5], what), 0.5, rtol=0, atol=1e-12, what=what)
    what = "roc_auc of constant scores"
    y_true = [1, 0, 0, 1, 0, 1, 1]
    assert_close(_call(sol, y_true, [3.0] * 7, what), 0.5, rtol=0, atol=1e-12, what=what)
    rng = ctx.rng(3)
    y_true = rng.integers(0, 2, size=80)
    y_true[:2] = [0, 1]
    scores = rng.integers(0, 5, size=80).astype(float)  # heavy ties between the classes
    what = "roc_auc with scores in {0, 1, 2, 3, 4} (many ties)"
    assert_close(
        _call(sol, y_true, scores, what),
        _pairwise(y_true, scores),
        rtol=ctx.rtol,
        atol=ctx.atol,
        what=f"{what}: each tied positive-negative pair counts 1/2",
    )


def test_invariant_under_monotone_transforms(sol, ctx):
    rng = ctx.rng(4)
    y_true = rng.integers(0, 2, size=60)
    y_true[:2] = [0, 1]
    scores = np.round(rng.normal(y_true * 0.7, 1.0), 1)  # rounded, so some ties remain
    base = _call(sol, y_true, scores, "roc_auc(y, s)")
    assert_close(
        base, _pairwise(y_true, scores), rtol=ctx.rtol, atol=ctx.atol, what="roc_auc(y, s)"
    )
    for name, transformed in [
        ("3 * s + 7", 3.0 * scores + 7.0),
        ("exp(s)", np.exp(scores)),
        ("1 / (1 + exp(-2 s))", 1.0 / (1.0 + np.exp(-2.0 * scores))),
        ("the ranks of s", stats.rankdata(scores)),
    ]:
        what = f"roc_auc(y, {name})"
        assert_close(
            _call(sol, y_true, transformed, what),
            base,
            rtol=ctx.rtol,
            atol=ctx.atol,
            what=f"{what} vs roc_auc(y, s) (AUC depends only on the order of the scores)",
        )


def test_single_class_raises(sol, ctx):
    for y_true in ([1, 1, 1, 1], [0, 0, 0]):
        scores = list(np.linspace(0.1, 0.9, len(y_true)))
        try:
            result = sol.roc_auc(y_true, scores)
        except ValueError:
            continue
        assert_true(
            False,
            f"roc_auc({y_true}, ...) returned {result!r}; with a single class the AUC is "
            "undefined: raise ValueError",
        )


def test_not_mannwhitneyu(sol, ctx):
    check_source_rules(
        ctx,
        rule="use numpy and scipy.stats.rankdata, not scipy.stats.mannwhitneyu (nor sklearn)",
        modules=("sklearn",),
        names=("mannwhitneyu",),
    )
