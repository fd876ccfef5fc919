import numpy as np


def fit_linear_regression_gd(X, y, w0, b0, lr, epochs):
    # Stochastic updates: one step per sample, each using weights already changed in this epoch.
    n = X.shape[0]
    w = np.array(w0, dtype=np.float64, copy=True)
    b = float(b0)
    for _ in range(epochs):
        for i in range(n):
            r_i = X[i] @ w + b - y[i]
            w = w - lr * (2.0 / n) * X[i] * r_i
            b = b - lr * (2.0 / n) * r_i
    return w, b
