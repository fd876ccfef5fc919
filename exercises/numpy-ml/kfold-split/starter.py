import numpy as np


def kfold_indices(
    n: int, k: int, shuffle: bool = False, seed: int | None = None
) -> list[tuple[np.ndarray, np.ndarray]]:
    """K-fold cross-validation splits of the rows 0..n-1.

    n: number of rows; k: number of folds, 2 <= k <= n.
    shuffle: if True, the row order is np.random.default_rng(seed).permutation(n) (drawn once);
             if False, the rows keep their order 0, 1, ..., n-1 and `seed` is ignored.
    Returns a list of k pairs (train_idx, test_idx) of integer arrays, each sorted ascending.
    The test folds are consecutive blocks of that order; the first n % k folds have n // k + 1
    rows and the others n // k. train_idx holds every row that is not in test_idx.
    """
    # TODO: build the row order, cut it into k blocks of the right sizes, and for each block
    # return (the other rows, the block), both sorted.
    raise NotImplementedError("kfold_indices is not implemented yet")
