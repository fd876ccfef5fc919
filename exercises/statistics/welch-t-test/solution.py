import numpy as np
from scipy import stats


def welch_t_test(a, b) -> tuple[float, float]:
    """Welch's unequal-variance two-sample t-test: (t, two-sided p)."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    n1, n2 = a.size, b.size
    v1 = a.var(ddof=1) / n1
    v2 = b.var(ddof=1) / n2
    if v1 + v2 == 0.0:  # both samples constant: t is +-inf (p = 0) or 0/0 (nan); df is 0/0
        diff = a.mean() - b.mean()
        return (float(np.copysign(np.inf, diff)), 0.0) if diff != 0 else (np.nan, np.nan)
    t = (a.mean() - b.mean()) / np.sqrt(v1 + v2)
    df = (v1 + v2) ** 2 / (v1**2 / (n1 - 1) + v2**2 / (n2 - 1))
    p = 2.0 * stats.t.sf(abs(t), df)
    return float(t), float(p)
