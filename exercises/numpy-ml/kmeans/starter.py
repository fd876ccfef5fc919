import numpy as np


def kmeans(
    X: np.ndarray, init_centroids: np.ndarray, max_iter: int = 100
) -> tuple[np.ndarray, np.ndarray]:
    """Lloyd's k-means from the given initial centroids.

    X: (n, d), init_centroids: (k, d). Returns (centroids (k, d), labels (n,) int).
    Empty clusters keep their centroid; stops when centroids stop changing or after max_iter.
    """
    # TODO: loop: squared distances (n, k) by broadcasting, argmin, batch mean per cluster.
    raise NotImplementedError("kmeans is not implemented yet")
