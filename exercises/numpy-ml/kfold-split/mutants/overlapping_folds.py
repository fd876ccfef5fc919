import math

import numpy as np


def kfold_indices(
    n: int, k: int, shuffle: bool = False, seed: int | None = None
) -> list[tuple[np.ndarray, np.ndarray]]:
    order = np.random.default_rng(seed).permutation(n) if shuffle else np.arange(n)
    step = n // k
    size = math.ceil(n / k)
    folds = []
    for i in range(k):
        test = np.sort(order[i * step : i * step + size])
        train = np.setdiff1d(np.arange(n), test)
        folds.append((train, test))
    return folds
