import numpy as np
from scipy import stats


def paired_t_test(a, b) -> tuple[float, float]:
    """Paired t-test on d = a - b. Returns (t, two-sided p) with n - 1 degrees of freedom."""
    d = np.asarray(a, dtype=float) - np.asarray(b, dtype=float)
    n = d.size
    t = d.mean() / (d.std(ddof=1) / np.sqrt(n))
    p = 2.0 * stats.t.sf(abs(t), n - 1)
    return float(t), float(p)
