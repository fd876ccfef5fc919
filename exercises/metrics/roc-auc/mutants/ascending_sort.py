import numpy as np


def roc_auc(y_true, scores) -> float:
    y_true = np.asarray(y_true)
    scores = np.asarray(scores, dtype=float)
    pos, neg = scores[y_true == 1], scores[y_true != 1]
    if pos.size == 0 or neg.size == 0:
        raise ValueError("only one class")
    # the bug: counts pairs where the NEGATIVE scores higher, which is 1 - AUC
    greater = np.mean(neg[:, None] > pos[None, :])
    ties = np.mean(neg[:, None] == pos[None, :])
    return float(greater + 0.5 * ties)
