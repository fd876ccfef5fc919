import numpy as np
from scipy import stats


def one_sample_t_test(x, mu0: float) -> tuple[float, float]:
    x = np.asarray(x, dtype=float)
    n = x.size
    se = x.std(ddof=1) / np.sqrt(n)
    t = (x.mean() - mu0) / se
    p = 2.0 * stats.norm.sf(abs(t))  # the bug: a z-test p-value, ignoring the t tails
    return float(t), float(p)
