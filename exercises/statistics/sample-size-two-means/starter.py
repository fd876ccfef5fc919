import math  # noqa: F401

import numpy as np  # noqa: F401
from scipy import stats  # noqa: F401 - stats.t, stats.nct, stats.norm


def power_two_sample_t(effect_size: float, n_per_group: int, alpha: float = 0.05) -> float:
    """Power of the two-sided two-sample t-test for Cohen's d with n subjects per group.

    df = 2n - 2, nc = d * sqrt(n / 2), crit = t.ppf(1 - alpha/2, df);
    power = nct.sf(crit, df, nc) + nct.cdf(-crit, df, nc). Return a Python float.
    """
    # TODO
    raise NotImplementedError("power_two_sample_t is not implemented yet")


def sample_size_two_means(effect_size: float, alpha: float = 0.05, power: float = 0.8) -> int:
    """The smallest n PER GROUP (n >= 2) with power_two_sample_t(d, n, alpha) >= power.

    Start from the normal approximation 2 * (z_{1-alpha/2} + z_power)^2 / d^2 rounded up,
    then search upward. Return a Python int.
    """
    # TODO
    raise NotImplementedError("sample_size_two_means is not implemented yet")
