import numpy as np
from scipy.stats import rankdata


def average_precision(y_true, scores):
    y_true = np.asarray(y_true)
    scores = np.asarray(scores, dtype=float)
    # the bug: the statement says numpy only; scipy counts the samples scoring >= each score
    predicted = rankdata(-scores, method="max")
    hits = rankdata(-scores[y_true == 1], method="max")
    return float(np.mean(hits / predicted[y_true == 1]))
