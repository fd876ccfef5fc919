import numpy as np
from scipy import stats


def paired_t_test(a, b) -> tuple[float, float]:
    d = np.asarray(a, dtype=float) - np.asarray(b, dtype=float)
    n = d.size
    t = d.mean() / (d.std(ddof=1) / np.sqrt(n))
    p = stats.t.sf(abs(t), n - 1)  # the bug: one tail only
    return float(t), float(p)
