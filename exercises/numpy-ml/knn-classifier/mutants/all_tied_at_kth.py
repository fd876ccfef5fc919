import numpy as np


def knn_predict(
    X_train: np.ndarray, y_train: np.ndarray, X_query: np.ndarray, k: int
) -> np.ndarray:
    # Takes every training point within the k-th smallest distance: points tied at the k-th
    # place all vote, so a query can get more than k votes.
    sq_dist = np.sum((X_query[:, None, :] - X_train[None, :, :]) ** 2, axis=2)
    kth = np.sort(sq_dist, axis=1)[:, k - 1 : k]
    n_labels = int(y_train.max()) + 1
    return np.array(
        [
            np.argmax(np.bincount(y_train[row <= t], minlength=n_labels))
            for row, t in zip(sq_dist, kth, strict=True)
        ],
        dtype=np.int64,
    )
