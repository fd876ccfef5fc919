import numpy as np
from scipy import stats


def two_proportion_z_test(x1, n1, x2, n2):
    # Right numbers (the uncorrected chi-square of the 2x2 table is z squared), but a ready-made
    # test the statement does not allow.
    chi2, p, _, _ = stats.chi2_contingency([[x1, n1 - x1], [x2, n2 - x2]], correction=False)
    return float(np.sign(x1 / n1 - x2 / n2) * np.sqrt(chi2)), float(p)
