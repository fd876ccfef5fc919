import numpy as np

from studyapp.core.drills.sandbox.asserts import assert_close, assert_equal, assert_true


def _percentile(values, q):
    """numpy's 'linear' percentile, written out: position q * (B - 1) in the sorted values."""
    s = np.sort(values)
    h = q * (s.size - 1)
    k = int(np.floor(h))
    if k + 1 >= s.size:
        return float(s[-1])
    return float(s[k] + (h - k) * (s[k + 1] - s[k]))


def _pair(result, what):
    assert_true(result is not None, f"{what} returned None: return the tuple (lo, hi)")
    assert_true(
        isinstance(result, tuple | list) and len(result) == 2,
        f"{what} must return a tuple (lo, hi), got {result!r}"[:300],
    )
    lo, hi = result
    assert_true(
        isinstance(lo, float) and isinstance(hi, float),
        f"{what} must return two floats, got ({type(lo).__name__}, {type(hi).__name__})",
    )
    return lo, hi


def test_percentile_ci_linear_rule(sol, ctx):
    lo, hi = _pair(sol.percentile_ci(np.arange(11.0), alpha=0.1), "percentile_ci(0..10, 0.1)")
    assert_close(
        [lo, hi], [0.5, 9.5], rtol=ctx.rtol, atol=ctx.atol, what="percentile_ci(0..10, 0.1)"
    )
    rng = ctx.rng(1)
    for size, alpha in [(1000, 0.05), (777, 0.1), (2000, 0.01)]:
        stats = rng.normal(5.0, 2.0, size=size)
        what = f"percentile_ci(stats, alpha={alpha}) with {size} values"
        lo, hi = _pair(sol.percentile_ci(stats, alpha=alpha), what)
        expected = [_percentile(stats, alpha / 2), _percentile(stats, 1 - alpha / 2)]
        assert_close(
            [lo, hi],
            expected,
            rtol=ctx.rtol,
            atol=ctx.atol,
            what=f"{what}: the 100*alpha/2 and 100*(1 - alpha/2) percentiles (linear rule)",
        )


def test_bootstrap_means_resample_with_replacement(sol, ctx):
    x = ctx.rng(2).normal(10.0, 3.0, size=30)
    what = "bootstrap_means(x, 4000, rng) with len(x) = 30"
    means = sol.bootstrap_means(x, 4000, ctx.remote("numpy").random.default_rng(7))
    assert_true(isinstance(means, np.ndarray), f"{what} must return a numpy array")
    assert_equal(means.shape, (4000,), what=f"{what}.shape")
    assert_equal(str(means.dtype), "float64", what=f"{what}.dtype")
    assert_true(
        bool(np.all((means >= x.min() - 1e-12) & (means <= x.max() + 1e-12))),
        f"{what}: every resample mean must lie between min(x) and max(x)",
    )
    # The mean of n draws with replacement has variance var(x, ddof=0) / n.
    expected_sd = x.std() / np.sqrt(x.size)
    sd = float(means.std())
    assert_true(
        sd > 1e-9,
        f"{what}: all {means.size} resample means are equal ({means[0]:.6g}). Resampling "
        "without replacement only permutes x; draw WITH replacement.",
    )
    assert_true(
        abs(sd / expected_sd - 1.0) < 0.08,
        f"{what}: the resample means have sd {sd:.4f}, expected about "
        f"std(x)/sqrt(n) = {expected_sd:.4f}. Each resample must have size n = len(x) and be "
        "drawn with replacement.",
    )
    assert_close(
        float(means.mean()), float(x.mean()), rtol=0.0, atol=0.05, what=f"{what}: mean of means"
    )


def test_uses_the_given_generator(sol, ctx):
    x = ctx.rng(3).normal(size=12)
    a = sol.bootstrap_means(x, 50, ctx.remote("numpy").random.default_rng(11))
    b = sol.bootstrap_means(x, 50, ctx.remote("numpy").random.default_rng(11))
    c = sol.bootstrap_means(x, 50, ctx.remote("numpy").random.default_rng(12))
    assert_true(np.array_equal(a, b), "bootstrap_means with two generators seeded 11 differ")
    assert_true(not np.array_equal(a, c), "bootstrap_means ignores the generator it is given")
    ci = _pair(sol.bootstrap_ci(x, n_boot=300, seed=5), "bootstrap_ci(x, 300, seed=5)")
    again = _pair(sol.bootstrap_ci(x, n_boot=300, seed=5), "bootstrap_ci(x, 300, seed=5)")
    assert_equal(again, ci, what="bootstrap_ci(x, 300, seed=5) called twice")
    own = sol.percentile_ci(
        sol.bootstrap_means(x, 300, ctx.remote("numpy").random.default_rng(5)), 0.05
    )
    assert_close(
        list(ci),
        list(own),
        rtol=0.0,
        atol=0.0,
        what="bootstrap_ci(x, 300, seed=5) vs percentile_ci(bootstrap_means(x, 300, "
        "default_rng(5)), 0.05)",
    )


def test_coverage_near_95_percent(sol, ctx):
    # 400 data sets of n = 40 from N(3, 2^2): the percentile interval should contain 3 about
    # 94-95 % of the time (a 90 % interval or a zero-width one would not).
    rng = ctx.rng(4)
    hits = 0
    repeats = 400
    for r in range(repeats):
        x = rng.normal(3.0, 2.0, size=40)
        lo, hi = _pair(sol.bootstrap_ci(x, n_boot=500, seed=r), "bootstrap_ci(x, 500)")
        hits += lo <= 3.0 <= hi
    coverage = hits / repeats
    assert_true(
        0.90 <= coverage <= 0.98,
        f"95 % bootstrap intervals contained the true mean in {coverage:.1%} of {repeats} "
        "simulated data sets; expected 90-98 %",
    )


def test_width_shrinks_like_one_over_sqrt_n(sol, ctx):
    rng = ctx.rng(5)
    widths = {}
    for n in (100, 400):
        x = rng.normal(size=n)
        x = (x - x.mean()) / x.std()  # the same spread at both sizes
        lo, hi = _pair(sol.bootstrap_ci(x, n_boot=2000, seed=n), f"bootstrap_ci(x), n = {n}")
        widths[n] = hi - lo
        expected = 2 * 1.96 / np.sqrt(n)
        assert_true(
            0.85 < widths[n] / expected < 1.15,
            f"bootstrap_ci for n = {n} standardised values has width {widths[n]:.4f}; expected "
            f"about 2 * 1.96 / sqrt(n) = {expected:.4f}",
        )
    ratio = widths[400] / widths[100]
    assert_true(
        0.42 < ratio < 0.58,
        f"quadrupling n should halve the interval width; width(400) / width(100) = {ratio:.3f}",
    )


def test_every_index_can_be_drawn(sol, ctx):
    # x is 1 at one position and 0 elsewhere: each resample mean is (times drawn) / n, and over
    # 4000 resamples their average is 1/n = 0.2 -- 0 if that index is never drawn (an off-by-one
    # in the range, rng.integers(0, n - 1) or rng.integers(1, n)).
    n, n_boot = 5, 4000
    for position in (0, n - 1):
        x = np.zeros(n)
        x[position] = 1.0
        what = f"bootstrap_means(x, {n_boot}, rng) with x = 1 at index {position}, 0 elsewhere"
        means = np.asarray(
            sol.bootstrap_means(x, n_boot, ctx.remote("numpy").random.default_rng(3))
        )
        assert_true(means.shape == (n_boot,), f"{what} must return shape ({n_boot},)")
        average = float(means.mean())
        assert_true(
            abs(average - 1.0 / n) < 0.02,
            f"{what}: the resample means average {average:.4f}, expected about 1/n = 0.2, so "
            f"index {position} is drawn too {'rarely' if average < 1.0 / n else 'often'}. Every "
            "index 0 .. n-1 must be equally likely: rng.integers(0, n) (its upper bound is "
            "exclusive).",
        )
