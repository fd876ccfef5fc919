import numpy as np


def average_precision(y_true, scores) -> float:
    y_true = np.asarray(y_true)
    scores = np.asarray(scores, dtype=float)
    order = np.argsort(-scores, kind="stable")
    s = scores[order]
    hit = (y_true[order] == 1).astype(float)
    last = np.flatnonzero(np.r_[s[1:] != s[:-1], True])
    tp = np.cumsum(hit)[last]
    precision = tp / (last + 1.0)
    # the bug: Pascal-VOC style interpolation, the best precision at any higher recall
    precision = np.maximum.accumulate(precision[::-1])[::-1]
    recall = tp / hit.sum()
    return float(np.sum(np.diff(np.r_[0.0, recall]) * precision))
