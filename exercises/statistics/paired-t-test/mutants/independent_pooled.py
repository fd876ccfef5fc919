import numpy as np
from scipy import stats


def paired_t_test(a, b) -> tuple[float, float]:
    # The bug: ignores the pairing and runs Student's pooled two-sample test.
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    n = a.size
    pooled = (a.var(ddof=1) + b.var(ddof=1)) / 2
    t = (a.mean() - b.mean()) / np.sqrt(pooled * 2 / n)
    p = 2.0 * stats.t.sf(abs(t), 2 * n - 2)
    return float(t), float(p)
