import numpy as np
from scipy import stats

from studyapp.core.drills.sandbox.asserts import assert_close, assert_true
from studyapp.core.drills.sandbox.source_rules import check_source_rules


def _scipy(a, b):
    result = stats.ttest_rel(a, b)
    return float(result.statistic), float(result.pvalue)


def _call(sol, a, b, what):
    result = sol.paired_t_test(a, b)
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


def _pairs(rng, n, effect, subject_sd, noise_sd):
    """Paired data: a large shared per-subject level plus a small effect and noise."""
    level = rng.normal(50.0, subject_sd, size=n)
    a = level + effect + rng.normal(0.0, noise_sd, size=n)
    b = level + rng.normal(0.0, noise_sd, size=n)
    return a, b


def test_worked_example(sol, ctx):
    a = [12.1, 14.3, 11.8, 15.2, 13.0]
    b = [11.5, 13.6, 11.9, 14.1, 12.2]
    what = "paired_t_test([12.1, 14.3, 11.8, 15.2, 13.0], [11.5, 13.6, 11.9, 14.1, 12.2])"
    t, p = _call(sol, a, b, what)
    expected_t, expected_p = _scipy(a, b)
    assert_close(t, expected_t, rtol=ctx.rtol, atol=ctx.atol, what=f"{what}: t")
    assert_close(p, expected_p, rtol=ctx.rtol, atol=ctx.atol, what=f"{what}: p")


def test_uses_the_pairing(sol, ctx):
    # Subjects differ by sd 10, the effect is 0.8 with noise 0.5: only a paired test sees it.
    a, b = _pairs(ctx.rng(2), 12, effect=0.8, subject_sd=10.0, noise_sd=0.5)
    what = "paired_t_test(a, b) with a large between-subject spread"
    t, p = _call(sol, a, b, what)
    expected_t, expected_p = _scipy(a, b)
    assert_close(
        t,
        expected_t,
        rtol=ctx.rtol,
        atol=ctx.atol,
        what=f"{what}: t of the differences d = a - b (not a two-sample t of a and b)",
    )
    assert_close(p, expected_p, rtol=ctx.rtol, atol=ctx.atol, what=f"{what}: p")


def test_unbiased_variance_of_differences(sol, ctx):
    # n = 4: ddof = 0 changes the standard error by sqrt(4/3), about 15 %.
    a, b = _pairs(ctx.rng(3), 4, effect=1.0, subject_sd=3.0, noise_sd=1.0)
    what = "paired_t_test(a, b) with n = 4"
    t, _ = _call(sol, a, b, what)
    d = a - b
    expected_t = d.mean() / (d.std(ddof=1) / np.sqrt(d.size))
    assert_close(
        t,
        expected_t,
        rtol=ctx.rtol,
        atol=ctx.atol,
        what=f"{what}: t = mean(d) / (std(d, ddof=1) / sqrt(n))",
    )


def test_p_value_is_two_sided(sol, ctx):
    rng = ctx.rng(4)
    a, b = _pairs(rng, 9, effect=0.0, subject_sd=5.0, noise_sd=1.0)
    b = b + (a - b).mean()  # mean difference exactly 0: t = 0, two-sided p = 1
    what = "paired_t_test(a, b) with mean(a - b) = 0"
    t, p = _call(sol, a, b, what)
    assert_close(t, 0.0, rtol=0.0, atol=1e-9, what=f"{what}: t")
    assert_close(p, 1.0, rtol=0.0, atol=1e-9, what=f"{what}: two-sided p when t = 0")

    a, b = _pairs(rng, 10, effect=-0.6, subject_sd=5.0, noise_sd=1.0)
    what = "paired_t_test(a, b) where a tends to be below b"
    t, p = _call(sol, a, b, what)
    t_swapped, p_swapped = _call(sol, b, a, "paired_t_test(b, a)")
    assert_close(
        t_swapped, -t, rtol=ctx.rtol, atol=ctx.atol, what="paired_t_test(b, a)[0] vs -t of (a, b)"
    )
    assert_close(
        p_swapped, p, rtol=ctx.rtol, atol=ctx.atol, what="paired_t_test(b, a)[1] vs p of (a, b)"
    )
    _, expected_p = _scipy(a, b)
    assert_close(p, expected_p, rtol=ctx.rtol, atol=ctx.atol, what=f"{what}: two-sided p")


def test_matches_scipy_random_pairs(sol, ctx):
    rng = ctx.rng(5)
    for n, effect in [(6, 0.4), (25, 0.3), (60, -0.2)]:
        a, b = _pairs(rng, n, effect=effect, subject_sd=4.0, noise_sd=1.0)
        what = f"paired_t_test(a, b) with n = {n}"
        t, p = _call(sol, a, b, what)
        expected_t, expected_p = _scipy(a, b)
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
    b = [1.0, 2.0, 3.0, 4.0]
    c = [1.5, 2.5, 3.5, 4.5]
    _zero_variance(
        sol,
        ctx,
        lambda a, b, what: _call(sol, a, b, what),
        [
            ((c, b), "paired_t_test(b + 0.5, b) (all differences 0.5)", np.inf),
            ((b, c), "paired_t_test(b, b + 0.5) (all differences -0.5)", -np.inf),
            ((b, b), "paired_t_test(b, b) (all differences 0)", np.nan),
        ],
    )


def test_does_not_call_a_ready_made_test(sol, ctx):
    check_source_rules(
        ctx,
        rule="numpy and scipy.stats.t, but not scipy.stats.ttest_rel",
        names=("ttest_1samp", "ttest_rel", "ttest_ind", "ttest_ind_from_stats"),
        modules=("statsmodels", "pingouin"),
    )
