import numpy as np
from scipy import stats  # noqa: F401 - you will need stats.t.sf


def welch_t_test(a, b) -> tuple[float, float]:
    """Welch's two-sample t-test.

    a, b: 1-D samples (arrays or lists), sizes n1, n2 >= 2, variances not assumed equal.
    Returns (t, p): t = (mean(a) - mean(b)) / sqrt(s1^2/n1 + s2^2/n2) with ddof=1 variances,
    and the two-sided p-value of a t distribution with Welch-Satterthwaite degrees of freedom.
    """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    # TODO: t statistic, Welch-Satterthwaite df, two-sided p via stats.t.sf.
    raise NotImplementedError("welch_t_test is not implemented yet")
