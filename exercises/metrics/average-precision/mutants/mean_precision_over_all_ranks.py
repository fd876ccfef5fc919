import numpy as np


def average_precision(y_true, scores) -> float:
    y_true = np.asarray(y_true)
    scores = np.asarray(scores, dtype=float)
    order = np.argsort(-scores, kind="stable")
    s = scores[order]
    hit = (y_true[order] == 1).astype(float)
    last = np.flatnonzero(np.r_[s[1:] != s[:-1], True])
    tp = np.cumsum(hit)[last]
    # the bug: averages the precision at every threshold, not weighted by the recall gained
    return float(np.mean(tp / (last + 1.0)))
