import numpy as np


def knn_predict(
    X_train: np.ndarray, y_train: np.ndarray, X_query: np.ndarray, k: int
) -> np.ndarray:
    """Majority vote of the k nearest training points for each query row.

    Distances (m, n): one row per query. Distance ties -> lower training index first
    (stable sort); vote ties -> smallest label. Returns int labels of shape (m,).
    """
    # TODO: squared distances by broadcasting, stable argsort along axis 1, bincount + argmax.
    raise NotImplementedError("knn_predict is not implemented yet")
