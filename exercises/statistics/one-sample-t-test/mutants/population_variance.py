import numpy as np
from scipy import stats


def one_sample_t_test(x, mu0: float) -> tuple[float, float]:
    x = np.asarray(x, dtype=float)
    n = x.size
    se = x.std() / np.sqrt(n)  # the bug: ddof=0, the population standard deviation
    t = (x.mean() - mu0) / se
    p = 2.0 * stats.t.sf(abs(t), n - 1)
    return float(t), float(p)
