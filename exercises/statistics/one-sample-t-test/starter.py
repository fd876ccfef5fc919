import numpy as np
from scipy import stats  # noqa: F401 - you will need stats.t.sf


def one_sample_t_test(x, mu0: float) -> tuple[float, float]:
    """One-sample t-test of H0: mean(x) == mu0.

    x: 1-D sample (array or list) of size n >= 2; mu0: the hypothesised mean.
    Returns (t, p): t = (mean(x) - mu0) / (s / sqrt(n)) with the ddof=1 standard deviation s,
    and the two-sided p-value of a t distribution with n - 1 degrees of freedom.
    """
    x = np.asarray(x, dtype=float)
    # TODO: t statistic, then the two-sided p via stats.t.sf.
    raise NotImplementedError("one_sample_t_test is not implemented yet")
