import numpy as np


def average_precision(y_true, scores) -> float:
    y_true = np.asarray(y_true)
    scores = np.asarray(scores, dtype=float)
    order = np.argsort(-scores, kind="stable")
    hit = (y_true[order] == 1).astype(float)
    # the bug: one threshold per sample, so tied scores are split in sort order
    tp = np.cumsum(hit)
    precision = tp / np.arange(1, hit.size + 1)
    return float(np.sum(precision * hit) / hit.sum())
