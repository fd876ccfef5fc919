import numpy as np


def kfold_indices(
    n: int, k: int, shuffle: bool = False, seed: int | None = None
) -> list[tuple[np.ndarray, np.ndarray]]:
    order = np.random.default_rng(seed).permutation(n) if shuffle else np.arange(n)
    size = n // k
    folds = []
    for i in range(k):
        test = np.sort(order[i * size : (i + 1) * size])
        train = np.setdiff1d(np.arange(n), test)
        folds.append((train, test))
    return folds
