import numpy as np
from scipy import stats


def paired_t_test(a, b) -> tuple[float, float]:
    d = np.asarray(a, dtype=float) - np.asarray(b, dtype=float)
    n = d.size
    t = d.mean() / (d.std() / np.sqrt(n))  # the bug: ddof=0
    p = 2.0 * stats.t.sf(abs(t), n - 1)
    return float(t), float(p)
