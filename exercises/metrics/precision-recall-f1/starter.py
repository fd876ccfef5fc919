import numpy as np


def precision_recall_f1(y_true, y_pred, average: str = "binary", pos_label=1):
    """(precision, recall, f1) as Python floats, like sklearn with zero_division=0.0.

    average="binary": the metrics of pos_label only.
    average="macro": per-label metrics over the sorted union of labels in y_true and y_pred,
        then the plain mean of each (macro-F1 = mean of per-label F1).
    average="micro": sum TP, FP, FN over labels first, then compute once.
    Any 0/0 is 0.0.
    """
    y_true = np.asarray(y_true)
    y_pred = np.asarray(y_pred)
    # TODO
    raise NotImplementedError("precision_recall_f1 is not implemented yet")
