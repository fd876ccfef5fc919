import math

import numpy as np
from scipy import stats


def one_sample_t_test(x, mu0: float) -> tuple[float, float]:
    # Python floats: a constant sample gives s = 0 and raises ZeroDivisionError.
    x = np.asarray(x, dtype=float)
    n = x.size
    se = float(x.std(ddof=1)) / math.sqrt(n)
    t = (float(x.mean()) - mu0) / se
    return t, float(2.0 * stats.t.sf(abs(t), n - 1))
