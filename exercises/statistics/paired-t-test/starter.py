import numpy as np
from scipy import stats  # noqa: F401 - you will need stats.t.sf


def paired_t_test(a, b) -> tuple[float, float]:
    """Paired t-test.

    a, b: 1-D samples of the same size n >= 2; a[i] and b[i] are one pair.
    Returns (t, p): t = mean(d) / (std(d, ddof=1) / sqrt(n)) for d = a - b, and the two-sided
    p-value of a t distribution with n - 1 degrees of freedom.
    """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    # TODO: differences, t statistic, two-sided p via stats.t.sf.
    raise NotImplementedError("paired_t_test is not implemented yet")
