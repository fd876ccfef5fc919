import numpy as np


def best_split(X: np.ndarray, y: np.ndarray, criterion: str = "gini"):
    """Best single-feature threshold split of a decision-tree node.

    X: (n, d) float features. y: (n,) integer labels 0, 1, 2, ...
    criterion: "gini" or "entropy" (entropy in bits, log base 2).
    Returns (feature, threshold, score) with score = the size-weighted impurity of the two
    children (left: X[:, feature] <= threshold), or None for a pure node or when no feature has
    two distinct values.
    """
    # TODO: for every feature and every midpoint between consecutive DISTINCT sorted values,
    # score the split; keep the lowest score (first one on ties).
    raise NotImplementedError("best_split is not implemented yet")
