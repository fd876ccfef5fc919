import numpy as np
from scipy import stats


def one_sample_t_test(x, mu0: float) -> tuple[float, float]:
    x = np.asarray(x, dtype=float)
    n = x.size
    se = x.std(ddof=1) / np.sqrt(n)
    t = (x.mean() - mu0) / se
    p = 2.0 * stats.t.sf(abs(t), n)  # the bug: n degrees of freedom instead of n - 1
    return float(t), float(p)
