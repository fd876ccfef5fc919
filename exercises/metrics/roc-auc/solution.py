import numpy as np
from scipy.stats import rankdata


def roc_auc(y_true, scores) -> float:
    """Area under the ROC curve = P(score of a random positive > a random negative), ties 1/2."""
    y_true = np.asarray(y_true)
    scores = np.asarray(scores, dtype=float)
    positive = y_true == 1
    n_pos = int(positive.sum())
    n_neg = int(positive.size - n_pos)
    if n_pos == 0 or n_neg == 0:
        raise ValueError("ROC AUC is undefined when y_true contains only one class")
    ranks = rankdata(scores)  # tied scores share their average rank
    u = ranks[positive].sum() - n_pos * (n_pos + 1) / 2.0
    return float(u / (n_pos * n_neg))
