import numpy as np


def average_precision(y_true, scores) -> float:
    y_true = np.asarray(y_true)
    scores = np.asarray(scores, dtype=float)
    order = np.argsort(-scores, kind="stable")
    s = scores[order]
    hit = (y_true[order] == 1).astype(float)
    last = np.flatnonzero(np.r_[s[1:] != s[:-1], True])
    tp = np.cumsum(hit)[last]
    precision = np.r_[1.0, tp / (last + 1.0)]
    recall = np.r_[0.0, tp / hit.sum()]
    # the bug: trapezoidal area under the PR curve (linear interpolation between points)
    return float(np.sum(np.diff(recall) * (precision[1:] + precision[:-1]) / 2.0))
