import numpy as np


def fit_linear_regression_gd(X, y, w0, b0, lr, epochs):
    # Right weights (X is doubled and every use of it halved again), but X *= 2.0 rescales the
    # caller's array in place.
    n = X.shape[0]
    X *= 2.0
    w = np.array(w0, dtype=np.float64, copy=True)
    b = float(b0)
    for _ in range(epochs):
        r = X @ w / 2.0 + b - y
        w = w - lr * (2.0 / n) * (X.T @ r) / 2.0
        b = b - lr * (2.0 / n) * float(np.sum(r))
    return w, b
