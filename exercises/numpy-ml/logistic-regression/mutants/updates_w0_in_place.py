import numpy as np


def sigmoid(z: np.ndarray) -> np.ndarray:
    """Elementwise 1 / (1 + exp(-z)), exponentiating only non-positive numbers."""
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def loss_and_grad(
    X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float
) -> tuple[float, np.ndarray, float]:
    """Mean binary cross-entropy from logits, and its gradient."""
    n = X.shape[0]
    z = X @ w + b
    loss = float(np.mean(np.logaddexp(0.0, z) - y * z))
    diff = sigmoid(z) - y
    return loss, X.T @ diff / n, float(np.mean(diff))


def fit_logistic_regression(
    X: np.ndarray, y: np.ndarray, w0: np.ndarray, b0: float, lr: float, epochs: int
) -> tuple[np.ndarray, float]:
    """Full-batch gradient descent on the mean binary cross-entropy."""
    w = w0  # no copy: the updates below write into the caller's w0
    b = float(b0)
    for _ in range(epochs):
        _, grad_w, grad_b = loss_and_grad(X, y, w, b)
        w -= lr * grad_w
        b = b - lr * grad_b
    return w, b
