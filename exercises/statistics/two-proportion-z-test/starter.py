import numpy as np  # noqa: F401
from scipy import stats  # noqa: F401 - you will need stats.norm.sf


def two_proportion_z_test(x1: int, n1: int, x2: int, n2: int) -> tuple[float, float]:
    """Two-proportion z-test of H0: rate A == rate B.

    x1 of n1 users converted in group A, x2 of n2 in group B.
    Returns (z, p): z = (x1/n1 - x2/n2) / SE with the POOLED SE under H0,
    SE = sqrt(p (1 - p) (1/n1 + 1/n2)), p = (x1 + x2) / (n1 + n2); p is two-sided.
    """
    # TODO
    raise NotImplementedError("two_proportion_z_test is not implemented yet")
