import numpy as np

# Mutant: an empty cluster's centroid is reset to the origin instead of staying put.


def _assign(X: np.ndarray, centroids: np.ndarray) -> np.ndarray:
    sq_dist = np.sum((X[:, None, :] - centroids[None, :, :]) ** 2, axis=2)  # (n, k)
    return np.argmin(sq_dist, axis=1)


def kmeans(
    X: np.ndarray, init_centroids: np.ndarray, max_iter: int = 100
) -> tuple[np.ndarray, np.ndarray]:
    """Lloyd's k-means from the given initial centroids."""
    centroids = np.array(init_centroids, dtype=np.float64, copy=True)
    for _ in range(max_iter):
        labels = _assign(X, centroids)
        new_centroids = np.zeros_like(centroids)
        for j in range(centroids.shape[0]):
            members = X[labels == j]
            if len(members) > 0:
                new_centroids[j] = members.mean(axis=0)
        if np.array_equal(new_centroids, centroids):
            break
        centroids = new_centroids
    return centroids, _assign(X, centroids)
