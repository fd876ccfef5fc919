import numpy as np


def average_precision(y_true, scores) -> float:
    """Average precision like sklearn.metrics.average_precision_score (binary).

    AP = sum_k (R_k - R_(k-1)) * P_k over the distinct score thresholds in decreasing order,
    where P_k and R_k are precision and recall when predicting positive every sample with
    score >= the k-th threshold (tied scores form ONE threshold), R_0 = 0.
    A step-wise sum, not the trapezoidal area. y_true has at least one positive.
    """
    y_true = np.asarray(y_true)
    scores = np.asarray(scores, dtype=float)
    # TODO
    raise NotImplementedError("average_precision is not implemented yet")
