import numpy as np
from scipy import stats


def roc_auc(y_true, scores):
    y_true = np.asarray(y_true)
    scores = np.asarray(scores, dtype=float)
    pos, neg = scores[y_true == 1], scores[y_true == 0]
    if len(pos) == 0 or len(neg) == 0:
        raise ValueError("ROC AUC is undefined when y_true holds only one class")
    # the bug: the statement rules out mannwhitneyu, which does the whole job in one call
    u = stats.mannwhitneyu(pos, neg, alternative="two-sided").statistic
    return float(u / (len(pos) * len(neg)))
