import numpy as np


def fit_linear_regression(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    # Forgets the column of ones: the fit is forced through the origin.
    w, *_ = np.linalg.lstsq(X, y, rcond=None)
    return w, 0.0
