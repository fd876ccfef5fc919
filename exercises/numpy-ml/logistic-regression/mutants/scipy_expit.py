import numpy as np
from scipy.special import expit


def sigmoid(z: np.ndarray) -> np.ndarray:
    """Elementwise 1 / (1 + exp(-z)), exponentiating only non-positive numbers."""
    return expit(np.asarray(z, dtype=np.float64))  # right, but not numpy only


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
    w = np.array(w0, dtype=np.float64, copy=True)
    b = float(b0)
    for _ in range(epochs):
        _, grad_w, grad_b = loss_and_grad(X, y, w, b)
        w = w - lr * grad_w
        b = b - lr * grad_b
    return w, b
