import math

import numpy as np
from scipy import stats


def power_two_sample_t(effect_size: float, n_per_group: int, alpha: float = 0.05) -> float:
    """Exact power of the two-sided pooled two-sample t-test with n per group."""
    df = 2 * n_per_group - 2
    nc = effect_size * np.sqrt(n_per_group / 2.0)
    crit = stats.t.ppf(1.0 - alpha / 2.0, df)
    return float(stats.nct.sf(crit, df, nc) + stats.nct.cdf(-crit, df, nc))


def sample_size_two_means(effect_size: float, alpha: float = 0.05, power: float = 0.8) -> int:
    """Smallest n per group (>= 2) whose t-test power reaches the target."""
    z = stats.norm.ppf(1.0 - alpha / 2.0) + stats.norm.ppf(power)
    n = max(1, math.ceil(2.0 * z**2 / effect_size**2))  # n = 1: df = 0, power is nan
    while power_two_sample_t(effect_size, n, alpha) < power:
        n += 1
    return int(n)
