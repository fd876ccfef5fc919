import math

import numpy as np
from scipy import stats


def power_two_sample_t(effect_size: float, n_per_group: int, alpha: float = 0.05) -> float:
    df = 2 * n_per_group - 2
    nc = effect_size * np.sqrt(n_per_group / 2.0)
    crit = stats.t.ppf(1.0 - alpha, df)  # the bug: one-sided critical value t_(1-alpha)
    return float(stats.nct.sf(crit, df, nc) + stats.nct.cdf(-crit, df, nc))


def sample_size_two_means(effect_size: float, alpha: float = 0.05, power: float = 0.8) -> int:
    z = stats.norm.ppf(1.0 - alpha) + stats.norm.ppf(power)  # the bug: z_alpha
    n = max(2, math.ceil(2.0 * z**2 / effect_size**2))
    while power_two_sample_t(effect_size, n, alpha) < power:
        n += 1
    return int(n)
