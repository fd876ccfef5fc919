import itertools
import math

import numpy as np
from scipy import stats

from studyapp.core.drills.sandbox.asserts import assert_close, assert_equal, assert_true


def _power(d, n, alpha):
    """Exact two-sided pooled t-test power, written independently of the solution."""
    df = 2 * n - 2
    nc = d / math.sqrt(2.0 / n)
    crit = stats.t.isf(alpha / 2.0, df)
    return float(stats.nct.sf(crit, df, nc) + stats.nct.cdf(-crit, df, nc))


def _n(d, alpha, power):
    """Smallest n per group reaching the power: bracket from below, then step up."""
    n = 2
    step = 256
    while step >= 1:  # largest n with power < target, by a descending-step search
        while _power(d, n + step, alpha) < power:
            n += step
        step //= 2
    return n + 1 if _power(d, n, alpha) < power else n


def _call_n(sol, d, alpha, power):
    what = f"sample_size_two_means({d}, alpha={alpha}, power={power})"
    n = sol.sample_size_two_means(d, alpha=alpha, power=power)
    assert_true(n is not None, f"{what} returned None: return the number per group")
    assert_true(
        isinstance(n, int) and not isinstance(n, bool),
        f"{what} must return a Python int, got {type(n).__name__} {n!r} (convert with int(...))"[
            :300
        ],
    )
    return n, what


def test_power_matches_noncentral_t(sol, ctx):
    for d, n, alpha in [(0.5, 64, 0.05), (0.5, 20, 0.05), (0.8, 10, 0.01), (0.3, 150, 0.1)]:
        what = f"power_two_sample_t({d}, {n}, alpha={alpha})"
        got = sol.power_two_sample_t(d, n, alpha=alpha)
        assert_true(isinstance(got, float), f"{what} must return a float, got {type(got).__name__}")
        assert_close(
            got,
            _power(d, n, alpha),
            rtol=ctx.rtol,
            atol=ctx.atol,
            what=f"{what} (two-sided: crit = t.ppf(1 - alpha/2, 2n - 2), nc = d * sqrt(n/2))",
        )


def test_classic_table_value(sol, ctx):
    n, what = _call_n(sol, 0.5, 0.05, 0.8)
    assert_equal(
        n, 64, what=f"{what} (subjects per group: the smallest n whose t-test power is >= 0.8)"
    )


def test_two_sided_alpha(sol, ctx):
    for d, alpha, power in [(0.5, 0.01, 0.9), (0.4, 0.05, 0.9), (1.0, 0.1, 0.8)]:
        n, what = _call_n(sol, d, alpha, power)
        assert_equal(n, _n(d, alpha, power), what=f"{what} (two-sided test: alpha/2 per tail)")


def test_result_is_the_smallest_sufficient_n(sol, ctx):
    for d, alpha, power in [(0.35, 0.05, 0.8), (0.8, 0.05, 0.8), (1.5, 0.05, 0.9)]:
        n, what = _call_n(sol, d, alpha, power)
        assert_true(
            n >= 2 and _power(d, n, alpha) >= power,
            f"{what} = {n}: the t-test power with {n} per group is "
            f"{_power(d, n, alpha):.4f} < {power}; n is too small",
        )
        assert_true(
            n == 2 or _power(d, n - 1, alpha) < power,
            f"{what} = {n}: already {n - 1} per group gives power "
            f"{_power(d, n - 1, alpha):.4f} >= {power}; return the smallest such n",
        )


def test_n_decreases_as_effect_grows(sol, ctx):
    effects = [0.25, 0.35, 0.5, 0.65, 0.8, 1.0, 1.3, 1.7, 2.2]
    sizes = [_call_n(sol, d, 0.05, 0.8)[0] for d in effects]
    expected = [_n(d, 0.05, 0.8) for d in effects]
    assert_true(
        all(a >= b for a, b in itertools.pairwise(sizes)) and sizes[0] > sizes[-1],
        f"n per group must shrink as the effect grows; for d = {effects} got {sizes}",
    )
    assert_equal(sizes, expected, what=f"sample_size_two_means(d) for d = {effects}")


def test_answers_the_normal_approximation_plus_one_misses(sol, ctx):
    # The t answer is usually ceil(n_z) + 1, but not always: here it is ceil(n_z) + 2, and for
    # very large effects the floor n >= 2 decides.
    for d, alpha, power, n_expected in [
        (3.0, 0.05, 0.8, 4),
        (1.1, 0.05, 0.8, 15),
        (2.5, 0.01, 0.95, 8),
        (0.18, 0.01, 0.8, 723),
        (4.0, 0.05, 0.8, 3),
        (6.0, 0.05, 0.8, 2),
    ]:
        n, what = _call_n(sol, d, alpha, power)
        assert_equal(n_expected, _n(d, alpha, power), what="the test's own answer")
        assert_true(
            n == n_expected,
            f"{what} = {n}, expected {n_expected}: the t-test power with {n} per group is "
            f"{_power(d, n, alpha):.4f} and with {n_expected} it is "
            f"{_power(d, n_expected, alpha):.4f} (target {power}, n >= 2). Search upward from "
            "the normal approximation until the t power reaches the target.",
        )


def test_numpy_integer_arguments(sol, ctx):
    what = "power_two_sample_t(0.5, np.int64(64))"
    got = sol.power_two_sample_t(0.5, np.int64(64))
    assert_true(isinstance(got, float), f"{what} must return a float, got {type(got).__name__}")
    assert_close(got, _power(0.5, 64, 0.05), rtol=ctx.rtol, atol=ctx.atol, what=what)
