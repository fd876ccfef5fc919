import numpy as np


def confusion_matrix(y_true, y_pred, labels=None) -> np.ndarray:
    y_true = np.asarray(y_true)
    y_pred = np.asarray(y_pred)
    # the bug: sorts the labels it was given instead of keeping their order
    labels = np.union1d(y_true, y_pred) if labels is None else np.sort(labels)
    index = {label: i for i, label in enumerate(np.asarray(labels).tolist())}
    matrix = np.zeros((len(index), len(index)), dtype=np.int64)
    for t, p in zip(y_true.tolist(), y_pred.tolist(), strict=True):
        if t in index and p in index:
            matrix[index[t], index[p]] += 1
    return matrix
