import numpy as np


def roc_auc(y_true, scores) -> float:
    y_true = np.asarray(y_true)
    scores = np.asarray(scores, dtype=float)
    pos, neg = scores[y_true == 1], scores[y_true != 1]
    if pos.size == 0 or neg.size == 0:
        raise ValueError("only one class")
    # the bug: a tie between a positive and a negative counts 1 instead of 1/2
    return float(np.mean(pos[:, None] >= neg[None, :]))
