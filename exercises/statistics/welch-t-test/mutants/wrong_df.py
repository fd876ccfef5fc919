import numpy as np
from scipy import stats


def welch_t_test(a, b) -> tuple[float, float]:
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    n1, n2 = a.size, b.size
    v1 = a.var(ddof=1) / n1
    v2 = b.var(ddof=1) / n2
    t = (a.mean() - b.mean()) / np.sqrt(v1 + v2)
    df = n1 + n2 - 2  # the bug: Student's df with Welch's t
    p = 2.0 * stats.t.sf(abs(t), df)
    return float(t), float(p)
