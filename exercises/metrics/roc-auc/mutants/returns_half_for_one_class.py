import numpy as np


def roc_auc(y_true, scores) -> float:
    y_true = np.asarray(y_true)
    scores = np.asarray(scores, dtype=float)
    pos, neg = scores[y_true == 1], scores[y_true != 1]
    if pos.size == 0 or neg.size == 0:
        return 0.5  # the bug: silently returns chance level instead of raising ValueError
    greater = np.mean(pos[:, None] > neg[None, :])
    ties = np.mean(pos[:, None] == neg[None, :])
    return float(greater + 0.5 * ties)
