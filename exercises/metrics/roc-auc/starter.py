import numpy as np
from scipy.stats import rankdata  # noqa: F401 - optional: average ranks for ties


def roc_auc(y_true, scores) -> float:
    """Area under the ROC curve, like sklearn.metrics.roc_auc_score for binary labels.

    y_true: 0/1 labels (1 = positive); scores: higher means "more positive".
    Equals the probability that a random positive scores higher than a random negative,
    with ties counting 1/2. Raise ValueError if y_true holds only one class.
    """
    y_true = np.asarray(y_true)
    scores = np.asarray(scores, dtype=float)
    # TODO
    raise NotImplementedError("roc_auc is not implemented yet")
