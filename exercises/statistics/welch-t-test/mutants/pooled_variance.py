import numpy as np
from scipy import stats


def welch_t_test(a, b) -> tuple[float, float]:
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    n1, n2 = a.size, b.size
    # The bug: Student's t-test, which assumes equal variances.
    pooled = ((n1 - 1) * a.var(ddof=1) + (n2 - 1) * b.var(ddof=1)) / (n1 + n2 - 2)
    t = (a.mean() - b.mean()) / np.sqrt(pooled * (1 / n1 + 1 / n2))
    df = n1 + n2 - 2
    p = 2.0 * stats.t.sf(abs(t), df)
    return float(t), float(p)
