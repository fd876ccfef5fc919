import numpy as np


def roc_auc(y_true, scores) -> float:
    y_true = np.asarray(y_true)
    scores = np.asarray(scores, dtype=float)
    n_pos = int(np.sum(y_true == 1))
    n_neg = y_true.size - n_pos
    if n_pos == 0 or n_neg == 0:
        raise ValueError("only one class")
    # the bug: one ROC point per sample, so tied scores are split in whatever order the sort
    # left them instead of forming one diagonal step
    order = np.argsort(-scores, kind="stable")
    hits = y_true[order] == 1
    tpr = np.concatenate([[0.0], np.cumsum(hits) / n_pos])
    fpr = np.concatenate([[0.0], np.cumsum(~hits) / n_neg])
    return float(np.sum(np.diff(fpr) * (tpr[1:] + tpr[:-1]) / 2.0))
