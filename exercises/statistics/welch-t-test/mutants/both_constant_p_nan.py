import numpy as np
from scipy import stats


def welch_t_test(a, b) -> tuple[float, float]:
    # No zero-variance case: with both samples constant df = 0/0 = nan, so p = nan, not 0.0.
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    n1, n2 = a.size, b.size
    v1 = a.var(ddof=1) / n1
    v2 = b.var(ddof=1) / n2
    t = (a.mean() - b.mean()) / np.sqrt(v1 + v2)
    df = (v1 + v2) ** 2 / (v1**2 / (n1 - 1) + v2**2 / (n2 - 1))
    p = 2.0 * stats.t.sf(abs(t), df)
    return float(t), float(p)
