import numpy as np


def pca(X: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Top-k principal components of X and the variance explained by each.

    X: (n, d) float64 array, one sample per row (not necessarily centred).
    k: number of components, 1 <= k <= d.
    Returns (components, explained_variance):
      components: (k, d) float64, orthonormal rows, ordered by decreasing variance
                  (the sign of each row is arbitrary);
      explained_variance: (k,) float64, sorted descending, the sample variance (ddof=1)
                  of the centred data projected on each component.
    """
    # TODO: centre the columns, build the (d, d) covariance with ddof=1, eigendecompose it
    # (np.linalg.eigh), sort the eigenpairs by decreasing eigenvalue and keep the top k.
    raise NotImplementedError("pca is not implemented yet")
