import itertools

import numpy as np
from scipy import stats

from studyapp.core.drills.sandbox.asserts import assert_close, assert_equal, assert_true
from studyapp.core.drills.sandbox.source_rules import check_source_rules

# The draw function and the generator are handed to the learner's code, so they are built in
# its process; the judge compares the means it returns with its own numbers.
_DRAW = """
def exponential(scale):
    return lambda rng, size: rng.exponential(scale, size=size)
"""


def _exponential(ctx, scale):
    return ctx.define(_DRAW).exponential(scale)


def _means(sol, ctx, draw, n, reps, seed, what):
    means = sol.sample_means(draw, n, reps, ctx.remote("numpy").random.default_rng(seed))
    assert_true(isinstance(means, np.ndarray), f"{what} must return a numpy array")
    assert_equal(means.shape, (reps,), what=f"{what}.shape")
    assert_equal(str(means.dtype), "float64", what=f"{what}.dtype")
    return means


def test_predicted_standard_error(sol, ctx):
    for sigma, n in [(2.0, 25), (1.5, 9), (3.0, 100), (0.7, 2)]:
        what = f"predicted_standard_error({sigma}, {n})"
        got = sol.predicted_standard_error(sigma, n)
        assert_true(isinstance(got, float), f"{what} must return a float")
        assert_close(got, sigma / np.sqrt(n), rtol=ctx.rtol, atol=ctx.atol, what=f"{what}")


def test_sample_means_of_one_draw_call(sol, ctx):
    draw = _exponential(ctx, 1.5)
    what = "sample_means(exponential(1.5), n=7, reps=50, default_rng(3))"
    means = _means(sol, ctx, draw, 7, 50, 3, what)
    expected = np.random.default_rng(3).exponential(1.5, size=(50, 7)).mean(axis=1)
    assert_close(
        means,
        expected,
        rtol=ctx.rtol,
        atol=ctx.atol,
        what=f"{what} (the row means of draw(rng, (reps, n)))",
    )


def test_std_of_means_is_sigma_over_sqrt_n(sol, ctx):
    sigma = 2.0  # the exponential with scale 2 has sd 2
    for n in (4, 16, 64):
        what = f"sample_means(exponential(2), n={n}, reps=20000)"
        means = _means(sol, ctx, _exponential(ctx, sigma), n, 20000, 10 + n, what)
        sd = float(means.std())
        se = sol.predicted_standard_error(sigma, n)
        assert_close(
            se, sigma / np.sqrt(n), rtol=ctx.rtol, atol=ctx.atol, what=f"predicted SE, n = {n}"
        )
        assert_true(
            abs(sd / se - 1.0) < 0.05,
            f"{what}: the sample means have sd {sd:.4f} but predicted_standard_error gives "
            f"{se:.4f}; the CLT says sigma / sqrt(n) = {sigma / np.sqrt(n):.4f}",
        )
        assert_close(
            float(means.mean()), sigma, rtol=0.02, atol=0.0, what=f"{what}: mean of the means"
        )


def test_skewness_matches_scipy(sol, ctx):
    example = [1.0, 2.0, 2.5, 4.0, 7.5]
    got = sol.skewness(example)
    assert_true(isinstance(got, float), "skewness(...) must return a float")
    assert_close(
        got,
        float(stats.skew(example)),
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="skewness([1.0, 2.0, 2.5, 4.0, 7.5])",
    )
    rng = ctx.rng(4)
    for size, scale in [(12, 3.0), (200, 0.5)]:
        values = rng.gamma(2.0, scale, size=size)
        assert_close(
            sol.skewness(values),
            float(stats.skew(values)),
            rtol=ctx.rtol,
            atol=ctx.atol,
            what=f"skewness of {size} gamma(2, {scale}) values (population moments, 1/N)",
        )


def test_skew_of_means_shrinks_with_n(sol, ctx):
    skews = []
    for n in (1, 4, 16, 64):
        what = f"sample_means(exponential(1), n={n}, reps=20000)"
        means = _means(sol, ctx, _exponential(ctx, 1.0), n, 20000, 100 + n, what)
        skew = sol.skewness(means)
        expected = 2.0 / np.sqrt(n)
        assert_true(
            abs(skew - expected) < 0.1 + 0.1 * expected,
            f"skewness of the means of {n} exponential draws is {skew:.3f}; the CLT predicts "
            f"about 2 / sqrt(n) = {expected:.3f}",
        )
        skews.append(skew)
    assert_true(
        all(a > b for a, b in itertools.pairwise(skews)),
        f"the skewness of the sample means must shrink as n grows; for n = 1, 4, 16, 64 got "
        f"{[round(s, 3) for s in skews]}",
    )


def test_skewness_of_constant_values_is_nan(sol, ctx):
    for values in ([2.5, 2.5, 2.5, 2.5], [0.1, 0.1, 0.1], [0.1] * 7, [0.0, 0.0]):
        what = f"skewness({values})"
        got = sol.skewness(values)
        assert_true(isinstance(got, float), f"{what} must return a float, got {type(got).__name__}")
        assert_true(
            bool(np.isnan(got)) and bool(np.isnan(stats.skew(values))),
            f"{what} = {got!r}: all values are equal, so the skewness is undefined: return nan "
            "(treat m2 <= (eps * mean)**2 as zero; rounding leaves a tiny m2 for [0.1, 0.1, 0.1])",
        )


def test_numpy_only(sol, ctx):
    check_source_rules(ctx, rule="numpy only (no scipy.stats.skew)", modules=("scipy",))
