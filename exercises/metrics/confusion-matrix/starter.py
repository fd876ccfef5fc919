import numpy as np


def confusion_matrix(y_true, y_pred, labels=None) -> np.ndarray:
    """Confusion matrix like sklearn.metrics.confusion_matrix.

    Rows are TRUE labels, columns PREDICTED labels, both in the order of `labels`
    (default: the sorted union of the labels in y_true and y_pred). Samples whose true or
    predicted label is not in `labels` are ignored. Returns an int64 array (K, K).
    """
    y_true = np.asarray(y_true)
    y_pred = np.asarray(y_pred)
    # TODO
    raise NotImplementedError("confusion_matrix is not implemented yet")
