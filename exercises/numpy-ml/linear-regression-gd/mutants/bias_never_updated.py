import numpy as np


def fit_linear_regression_gd(X, y, w0, b0, lr, epochs):
    # Computes the bias gradient but never applies it: b stays at b0.
    n = X.shape[0]
    w = np.array(w0, dtype=np.float64, copy=True)
    b = float(b0)
    for _ in range(epochs):
        r = X @ w + b - y
        w = w - lr * (2.0 / n) * (X.T @ r)
        _grad_b = (2.0 / n) * float(np.sum(r))
    return w, b
