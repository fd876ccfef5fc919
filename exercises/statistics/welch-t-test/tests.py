import numpy as np
from scipy import stats

from studyapp.core.drills.sandbox.asserts import assert_close, assert_true
from studyapp.core.drills.sandbox.source_rules import check_source_rules


def _scipy(a, b):
    result = stats.ttest_ind(a, b, equal_var=False)
    return float(result.statistic), float(result.pvalue)


def _call(sol, a, b, what):
    result = sol.welch_t_test(a, b)
    assert_true(result is not None, f"{what} returned None: return the tuple (t, p)")
    assert_true(
        isinstance(result, tuple | list) and len(result) == 2,
        f"{what} must return a tuple (t, p), got {result!r}"[:300],
    )
    t, p = result
    assert_true(
        isinstance(t, float) and isinstance(p, float),
        f"{what} must return two floats, got ({type(t).__name__}, {type(p).__name__})",
    )
    return t, p


def test_worked_example(sol, ctx):
    a = [1.0, 2.0, 3.0, 4.0, 5.0]
    b = [2.0, 4.0, 6.0, 8.0, 10.0, 12.0]
    what = "welch_t_test([1, 2, 3, 4, 5], [2, 4, 6, 8, 10, 12])"
    t, p = _call(sol, a, b, what)
    expected_t, expected_p = _scipy(a, b)
    assert_close(t, expected_t, rtol=ctx.rtol, atol=ctx.atol, what=f"{what}: t")
    assert_close(p, expected_p, rtol=ctx.rtol, atol=ctx.atol, what=f"{what}: p")


def test_t_statistic_uses_unbiased_unpooled_variances(sol, ctx):
    # Small samples (ddof matters) of different sizes and spreads (pooling matters).
    rng = ctx.rng(2)
    a = rng.normal(1.0, 1.0, size=5)
    b = rng.normal(0.0, 3.0, size=9)
    what = "welch_t_test(a, b) with n1 = 5, n2 = 9, sd 1 vs 3"
    t, _ = _call(sol, a, b, what)
    expected_t, _ = _scipy(a, b)
    assert_close(
        t,
        expected_t,
        rtol=ctx.rtol,
        atol=ctx.atol,
        what=f"{what}: t = (mean(a) - mean(b)) / sqrt(var(a, ddof=1)/n1 + var(b, ddof=1)/n2)",
    )


def test_matches_scipy_unequal_sizes_and_variances(sol, ctx):
    rng = ctx.rng(3)
    a = rng.normal(0.8, 1.0, size=12)
    b = rng.normal(0.0, 3.0, size=30)
    what = "welch_t_test(a, b) with n1 = 12, n2 = 30, sd 1 vs 3"
    t, p = _call(sol, a, b, what)
    expected_t, expected_p = _scipy(a, b)
    assert_close(t, expected_t, rtol=ctx.rtol, atol=ctx.atol, what=f"{what}: t")
    assert_close(p, expected_p, rtol=ctx.rtol, atol=ctx.atol, what=f"{what}: p")


def test_p_value_uses_welch_degrees_of_freedom(sol, ctx):
    # A small, wide sample against a large, narrow one: Welch's df is about 6, far from
    # n1 + n2 - 2 = 44, so the p-values differ clearly.
    rng = ctx.rng(4)
    a = rng.normal(3.0, 4.0, size=6)
    b = rng.normal(0.0, 0.5, size=40)
    what = "welch_t_test(a, b) with n1 = 6 (sd 4), n2 = 40 (sd 0.5)"
    _, p = _call(sol, a, b, what)
    _, expected_p = _scipy(a, b)
    assert_close(
        p,
        expected_p,
        rtol=ctx.rtol,
        atol=ctx.atol,
        what=f"{what}: p (Welch-Satterthwaite df, not n1 + n2 - 2)",
    )


def test_p_value_is_two_sided(sol, ctx):
    rng = ctx.rng(5)
    a = rng.normal(0.0, 1.0, size=10)
    b = rng.normal(0.0, 2.0, size=7)
    b = b - b.mean() + a.mean()  # equal sample means: t = 0, so the two-sided p is 1
    what = "welch_t_test(a, b) with equal sample means"
    t, p = _call(sol, a, b, what)
    assert_close(t, 0.0, rtol=0.0, atol=1e-9, what=f"{what}: t")
    assert_close(p, 1.0, rtol=0.0, atol=1e-9, what=f"{what}: two-sided p")

    a = rng.normal(-0.7, 1.0, size=11)
    b = rng.normal(0.0, 1.5, size=8)
    what = "welch_t_test(a, b) where mean(a) < mean(b)"
    t, p = _call(sol, a, b, what)
    t_swapped, p_swapped = _call(sol, b, a, "welch_t_test(b, a)")
    assert_close(
        t_swapped, -t, rtol=ctx.rtol, atol=ctx.atol, what="welch_t_test(b, a)[0] vs -t of (a, b)"
    )
    assert_close(
        p_swapped, p, rtol=ctx.rtol, atol=ctx.atol, what="welch_t_test(b, a)[1] vs p of (a, b)"
    )
    _, expected_p = _scipy(a, b)
    assert_close(p, expected_p, rtol=ctx.rtol, atol=ctx.atol, what=f"{what}: two-sided p")


def _zero_variance(sol, ctx, call, cases):
    """cases: (args, label, expected t) with expected t = +inf, -inf or nan (then p = nan)."""
    for args, label, expected in cases:
        t, p = call(*args, label)
        if np.isnan(expected):
            assert_true(
                np.isnan(t) and np.isnan(p),
                f"{label} = ({t!r}, {p!r}): with zero variance and no difference, t = 0/0 = nan "
                "and p = nan (as scipy)",
            )
        else:
            assert_true(
                t == expected and p == 0.0,
                f"{label} = ({t!r}, {p!r}): with zero variance and a nonzero difference, "
                f"t = {expected} and p = 0.0 (as scipy)",
            )


def test_zero_variance(sol, ctx):
    a, b = [2.5, 2.5, 2.5, 2.5], [1.5, 1.5, 1.5]
    _zero_variance(
        sol,
        ctx,
        lambda a, b, what: _call(sol, a, b, what),
        [
            ((a, b), "welch_t_test([2.5] * 4, [1.5] * 3)", np.inf),
            ((b, a), "welch_t_test([1.5] * 3, [2.5] * 4)", -np.inf),
            ((a, [2.5, 2.5]), "welch_t_test([2.5] * 4, [2.5] * 2)", np.nan),
        ],
    )
    # One constant sample is not a special case: the formulas apply.
    a, b = [2.5, 2.5, 2.5, 2.5], [1.0, 2.0, 1.5]
    t, p = _call(sol, a, b, "welch_t_test([2.5] * 4, [1.0, 2.0, 1.5])")
    expected_t, expected_p = _scipy(a, b)
    assert_close(t, expected_t, rtol=ctx.rtol, atol=ctx.atol, what="t with one constant sample")
    assert_close(p, expected_p, rtol=ctx.rtol, atol=ctx.atol, what="p with one constant sample")


def test_does_not_call_a_ready_made_test(sol, ctx):
    check_source_rules(
        ctx,
        rule="numpy and scipy.stats.t, but not scipy.stats.ttest_ind",
        names=("ttest_1samp", "ttest_rel", "ttest_ind", "ttest_ind_from_stats"),
        modules=("statsmodels", "pingouin"),
    )
