import numpy as np


def fit_linear_regression(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    """Ordinary least squares with an intercept, solved stably with lstsq."""
    A = np.column_stack([np.ones(X.shape[0]), X])
    theta, *_ = np.linalg.lstsq(A, y, rcond=None)
    return theta[1:], float(theta[0])
