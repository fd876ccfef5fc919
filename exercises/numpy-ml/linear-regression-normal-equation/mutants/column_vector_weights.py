import numpy as np


def fit_linear_regression(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    # Works with y as a column vector and returns w of shape (d, 1) instead of (d,).
    A = np.column_stack([np.ones(X.shape[0]), X])
    theta, *_ = np.linalg.lstsq(A, y.reshape(-1, 1), rcond=None)
    return theta[1:], float(theta[0, 0])
