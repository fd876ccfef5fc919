import numpy as np


def fit_linear_regression_gd(
    X: np.ndarray, y: np.ndarray, w0: np.ndarray, b0: float, lr: float, epochs: int
) -> tuple[np.ndarray, float]:
    """Full-batch gradient descent on the MSE (1/n) * sum((X @ w + b - y) ** 2)."""
    n = X.shape[0]
    w = np.array(w0, dtype=np.float64, copy=True)
    b = float(b0)
    for _ in range(epochs):
        r = X @ w + b - y
        grad_w = (2.0 / n) * (X.T @ r)
        grad_b = (2.0 / n) * float(np.sum(r))
        w = w - lr * grad_w
        b = b - lr * grad_b
    return w, b
