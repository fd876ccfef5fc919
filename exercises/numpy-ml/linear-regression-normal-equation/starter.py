import numpy as np


def fit_linear_regression(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    """Ordinary least squares with an intercept, in closed form.

    X: (n, d) float64, one sample per row. y: (n,) float64.
    Returns (w, b): w of shape (d,) and the intercept b as a float, minimising
    sum((X @ w + b - y) ** 2).
    """
    # TODO: build A = [1 | X], solve the least-squares problem A theta ~= y stably
    # (np.linalg.lstsq), and split theta into b = theta[0] and w = theta[1:].
    raise NotImplementedError("fit_linear_regression is not implemented yet")
