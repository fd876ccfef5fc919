import numpy as np


def average_precision(y_true, scores) -> float:
    """sklearn-style step-wise average precision: sum over thresholds of (R_k - R_(k-1)) * P_k."""
    y_true = np.asarray(y_true)
    scores = np.asarray(scores, dtype=float)
    order = np.argsort(-scores, kind="stable")
    s = scores[order]
    hit = (y_true[order] == 1).astype(float)
    # The last index of each block of tied scores: one threshold per distinct score.
    last = np.flatnonzero(np.r_[s[1:] != s[:-1], True])
    tp = np.cumsum(hit)[last]
    predicted = last + 1.0
    precision = tp / predicted
    recall = tp / hit.sum()
    recall_steps = np.diff(np.r_[0.0, recall])
    return float(np.sum(recall_steps * precision))
