import numpy as np


def fit_linear_regression_gd(
    X: np.ndarray, y: np.ndarray, w0: np.ndarray, b0: float, lr: float, epochs: int
) -> tuple[np.ndarray, float]:
    """Full-batch gradient descent on the MSE (1/n) * sum((X @ w + b - y) ** 2).

    X: (n, d), y: (n,), w0: (d,) initial weights, b0: initial bias. Runs `epochs` updates
    and returns (w, b) with w of shape (d,) and b a float.
    """
    # TODO: copy w0; each epoch compute r = X @ w + b - y, the gradients (2/n) X^T r and
    # (2/n) sum(r), and update w and b together.
    raise NotImplementedError("fit_linear_regression_gd is not implemented yet")
