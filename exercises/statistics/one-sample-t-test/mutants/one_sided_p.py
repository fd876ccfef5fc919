import numpy as np
from scipy import stats


def one_sample_t_test(x, mu0: float) -> tuple[float, float]:
    x = np.asarray(x, dtype=float)
    n = x.size
    se = x.std(ddof=1) / np.sqrt(n)
    t = (x.mean() - mu0) / se
    p = stats.t.sf(abs(t), n - 1)  # the bug: one tail only
    return float(t), float(p)
