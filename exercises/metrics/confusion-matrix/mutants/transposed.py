import numpy as np


def confusion_matrix(y_true, y_pred, labels=None) -> np.ndarray:
    y_true = np.asarray(y_true)
    y_pred = np.asarray(y_pred)
    if labels is None:
        labels = np.union1d(y_true, y_pred)
    index = {label: i for i, label in enumerate(np.asarray(labels).tolist())}
    matrix = np.zeros((len(index), len(index)), dtype=np.int64)
    for t, p in zip(y_true.tolist(), y_pred.tolist(), strict=True):
        if t in index and p in index:
            matrix[index[p], index[t]] += 1  # the bug: rows predicted, columns true
    return matrix
