import numpy as np
from scipy import stats


def paired_t_test(a, b) -> tuple[float, float]:
    # Adds 1e-12 to the standard error "to avoid dividing by zero": a constant difference gets a
    # huge finite t, and a == b gets t = 0 and p = 1 instead of nan.
    d = np.asarray(a, dtype=float) - np.asarray(b, dtype=float)
    n = d.size
    t = d.mean() / (d.std(ddof=1) / np.sqrt(n) + 1e-12)
    p = 2.0 * stats.t.sf(abs(t), n - 1)
    return float(t), float(p)
