import numpy as np


def knn_predict(
    X_train: np.ndarray, y_train: np.ndarray, X_query: np.ndarray, k: int
) -> np.ndarray:
    """Majority vote of the k nearest training points for each query row."""
    sq_dist = np.sum((X_query[:, None, :] - X_train[None, :, :]) ** 2, axis=2)  # (m, n)
    nearest = np.argsort(sq_dist, axis=1, kind="stable")[:, :k]  # (m, k)
    n_labels = int(y_train.max()) + 1
    return np.array(
        [np.argmax(np.bincount(y_train[row], minlength=n_labels)) for row in nearest],
        dtype=np.int64,
    )
