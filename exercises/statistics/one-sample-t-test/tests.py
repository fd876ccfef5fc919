import numpy as np
from scipy import stats

from studyapp.core.drills.sandbox.asserts import assert_close, assert_true
from studyapp.core.drills.sandbox.source_rules import check_source_rules


def _scipy(x, mu0):
    result = stats.ttest_1samp(x, mu0)
    return float(result.statistic), float(result.pvalue)


def _call(sol, x, mu0, what):
    result = sol.one_sample_t_test(x, mu0)
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
    x = [5.1, 4.9, 5.6, 5.8, 6.0, 5.3]
    what = "one_sample_t_test([5.1, 4.9, 5.6, 5.8, 6.0, 5.3], 5.0)"
    t, p = _call(sol, x, 5.0, what)
    expected_t, expected_p = _scipy(x, 5.0)
    assert_close(t, expected_t, rtol=ctx.rtol, atol=ctx.atol, what=f"{what}: t")
    assert_close(p, expected_p, rtol=ctx.rtol, atol=ctx.atol, what=f"{what}: p")


def test_t_statistic_uses_unbiased_variance(sol, ctx):
    # n = 5: ddof = 0 changes the standard error by sqrt(5/4), about 12 %.
    x = ctx.rng(2).normal(0.7, 1.3, size=5)
    what = "one_sample_t_test(x, 0.0) with n = 5"
    t, _ = _call(sol, x, 0.0, what)
    expected_t, _ = _scipy(x, 0.0)
    assert_close(
        t,
        expected_t,
        rtol=ctx.rtol,
        atol=ctx.atol,
        what=f"{what}: t = (mean(x) - mu0) / (std(x, ddof=1) / sqrt(n))",
    )


def test_p_value_uses_t_with_n_minus_1_df(sol, ctx):
    # n = 4 (df = 3): the t tails are much heavier than the normal's or those of df = 4.
    x = np.array([2.3, 3.1, 2.7, 3.6])
    what = "one_sample_t_test([2.3, 3.1, 2.7, 3.6], 2.0)"
    _, p = _call(sol, x, 2.0, what)
    _, expected_p = _scipy(x, 2.0)
    assert_close(
        p, expected_p, rtol=ctx.rtol, atol=ctx.atol, what=f"{what}: p (t distribution, df = n - 1)"
    )


def test_p_value_is_two_sided(sol, ctx):
    rng = ctx.rng(4)
    x = rng.normal(0.0, 2.0, size=9)
    mu0 = float(x.mean())
    what = "one_sample_t_test(x, mean(x))"
    t, p = _call(sol, x, mu0, what)
    assert_close(t, 0.0, rtol=0.0, atol=1e-9, what=f"{what}: t")
    assert_close(p, 1.0, rtol=0.0, atol=1e-9, what=f"{what}: two-sided p when t = 0")

    x = rng.normal(-0.6, 1.0, size=14)
    what = "one_sample_t_test(x, 0.0) with a sample mean below mu0"
    t, p = _call(sol, x, 0.0, what)
    expected_t, expected_p = _scipy(x, 0.0)
    assert_true(t < 0, f"{what}: t = {t!r} must be negative when mean(x) < mu0")
    assert_close(t, expected_t, rtol=ctx.rtol, atol=ctx.atol, what=f"{what}: t")
    assert_close(p, expected_p, rtol=ctx.rtol, atol=ctx.atol, what=f"{what}: two-sided p")


def test_matches_scipy_random_samples(sol, ctx):
    rng = ctx.rng(5)
    for n, mu, sd, mu0 in [(8, 1.2, 0.9, 1.0), (20, -0.3, 2.5, 0.5), (50, 10.0, 3.0, 9.2)]:
        x = rng.normal(mu, sd, size=n)
        what = f"one_sample_t_test(x, {mu0}) with n = {n}"
        t, p = _call(sol, x, mu0, what)
        expected_t, expected_p = _scipy(x, mu0)
        assert_close(t, expected_t, rtol=ctx.rtol, atol=ctx.atol, what=f"{what}: t")
        assert_close(p, expected_p, rtol=ctx.rtol, atol=ctx.atol, what=f"{what}: p")


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
    x = [2.5, 2.5, 2.5, 2.5, 2.5]
    _zero_variance(
        sol,
        ctx,
        lambda x, mu0, what: _call(sol, x, mu0, what),
        [
            ((x, 2.0), "one_sample_t_test([2.5] * 5, 2.0)", np.inf),
            ((x, 3.0), "one_sample_t_test([2.5] * 5, 3.0)", -np.inf),
            ((x, 2.5), "one_sample_t_test([2.5] * 5, 2.5)", np.nan),
        ],
    )


def test_does_not_call_a_ready_made_test(sol, ctx):
    check_source_rules(
        ctx,
        rule="numpy and scipy.stats.t, but not scipy.stats.ttest_1samp",
        names=("ttest_1samp", "ttest_rel", "ttest_ind", "ttest_ind_from_stats"),
        modules=("statsmodels", "pingouin"),
    )
