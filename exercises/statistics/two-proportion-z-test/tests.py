import numpy as np
from scipy import stats

from studyapp.core.drills.sandbox.asserts import assert_close, assert_true
from studyapp.core.drills.sandbox.source_rules import check_source_rules


def _reference(x1, n1, x2, n2):
    """Independent check: z^2 is Pearson's chi-square of the 2x2 table (no correction), and the
    chi-square p-value equals the two-sided z p-value. The sign of z is the sign of p1 - p2."""
    table = np.array([[x1, n1 - x1], [x2, n2 - x2]], dtype=float)
    chi2, p, _, _ = stats.chi2_contingency(table, correction=False)
    return float(np.sign(x1 / n1 - x2 / n2) * np.sqrt(chi2)), float(p)


def _call(sol, x1, n1, x2, n2):
    what = f"two_proportion_z_test({x1}, {n1}, {x2}, {n2})"
    result = sol.two_proportion_z_test(x1, n1, x2, n2)
    assert_true(result is not None, f"{what} returned None: return the tuple (z, p)")
    assert_true(
        isinstance(result, tuple | list) and len(result) == 2,
        f"{what} must return a tuple (z, p), got {result!r}"[:300],
    )
    z, p = result
    assert_true(
        isinstance(z, float) and isinstance(p, float),
        f"{what} must return two floats, got ({type(z).__name__}, {type(p).__name__})",
    )
    return z, p, what


def test_worked_example(sol, ctx):
    z, p, what = _call(sol, 45, 500, 30, 480)
    expected_z, expected_p = _reference(45, 500, 30, 480)
    assert_close(z, expected_z, rtol=ctx.rtol, atol=ctx.atol, what=f"{what}: z")
    assert_close(p, expected_p, rtol=ctx.rtol, atol=ctx.atol, what=f"{what}: p")


def test_pooled_standard_error(sol, ctx):
    # Very different rates and group sizes: pooled and unpooled SEs differ by about 30 %.
    for x1, n1, x2, n2 in [(2, 40, 60, 200), (30, 60, 90, 900)]:
        z, _, what = _call(sol, x1, n1, x2, n2)
        pooled = (x1 + x2) / (n1 + n2)
        expected_z = (x1 / n1 - x2 / n2) / np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
        assert_close(
            z,
            expected_z,
            rtol=ctx.rtol,
            atol=ctx.atol,
            what=f"{what}: z with SE = sqrt(p(1-p)(1/n1 + 1/n2)), p = (x1 + x2)/(n1 + n2)",
        )


def test_p_value_is_two_sided(sol, ctx):
    z, p, what = _call(sol, 40, 400, 40, 400)
    assert_close(z, 0.0, rtol=0.0, atol=1e-12, what=f"{what}: z for equal rates")
    assert_close(p, 1.0, rtol=0.0, atol=1e-12, what=f"{what}: two-sided p when z = 0")

    z, p, what = _call(sol, 52, 1000, 78, 1000)
    z_swapped, p_swapped, _ = _call(sol, 78, 1000, 52, 1000)
    expected_z, expected_p = _reference(52, 1000, 78, 1000)
    assert_close(z, expected_z, rtol=ctx.rtol, atol=ctx.atol, what=f"{what}: z (A below B)")
    assert_close(p, expected_p, rtol=ctx.rtol, atol=ctx.atol, what=f"{what}: two-sided p")
    assert_close(
        z_swapped, -z, rtol=ctx.rtol, atol=ctx.atol, what="swapping the groups must negate z"
    )
    assert_close(p_swapped, p, rtol=ctx.rtol, atol=ctx.atol, what="swapping the groups must keep p")


def test_matches_chi_square_reference_random(sol, ctx):
    rng = ctx.rng(4)
    for _ in range(8):
        n1, n2 = (int(v) for v in rng.integers(30, 3000, size=2))
        rate1, rate2 = rng.uniform(0.02, 0.6, size=2)
        x1, x2 = int(rng.binomial(n1, rate1)), int(rng.binomial(n2, rate2))
        z, p, what = _call(sol, x1, n1, x2, n2)
        expected_z, expected_p = _reference(x1, n1, x2, n2)
        assert_close(z, expected_z, rtol=ctx.rtol, atol=ctx.atol, what=f"{what}: z")
        assert_close(p, expected_p, rtol=ctx.rtol, atol=ctx.atol, what=f"{what}: p")


def test_numpy_integer_counts(sol, ctx):
    what = "two_proportion_z_test(np.int64(45), np.int64(500), np.int64(30), np.int64(480))"
    z, p = sol.two_proportion_z_test(np.int64(45), np.int64(500), np.int64(30), np.int64(480))
    assert_true(
        isinstance(z, float) and isinstance(p, float),
        f"{what} must return two floats, got ({type(z).__name__}, {type(p).__name__})",
    )
    assert_close([z, p], [1.6188, 0.1055], rtol=0.0, atol=1e-4, what=what)


def test_does_not_call_a_ready_made_test(sol, ctx):
    check_source_rules(
        ctx,
        rule="numpy and scipy.stats.norm, not a ready-made test",
        names=("proportions_ztest", "chi2_contingency", "test_proportions_2indep", "fisher_exact"),
        modules=("statsmodels",),
    )
