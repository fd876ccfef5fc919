import numpy as np


def kfold_indices(
    n: int, k: int, shuffle: bool = False, seed: int | None = None
) -> list[tuple[np.ndarray, np.ndarray]]:
    """K-fold cross-validation splits of n rows: a list of k (train_idx, test_idx) pairs."""
    order = np.random.default_rng(seed).permutation(n) if shuffle else np.arange(n)
    sizes = np.full(k, n // k)
    sizes[: n % k] += 1
    folds = []
    start = 0
    for size in sizes:
        stop = start + int(size)
        test_mask = np.zeros(n, dtype=bool)
        test_mask[order[start:stop]] = True
        folds.append((np.flatnonzero(~test_mask), np.flatnonzero(test_mask)))
        start = stop
    return folds
