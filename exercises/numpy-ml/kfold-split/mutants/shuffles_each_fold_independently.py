import numpy as np


def kfold_indices(
    n: int, k: int, shuffle: bool = False, seed: int | None = None
) -> list[tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(seed)
    sizes = np.full(k, n // k)
    sizes[: n % k] += 1
    folds = []
    start = 0
    for size in sizes:
        stop = start + int(size)
        order = rng.permutation(n) if shuffle else np.arange(n)
        test = np.sort(order[start:stop])
        train = np.setdiff1d(np.arange(n), test)
        folds.append((train, test))
        start = stop
    return folds
