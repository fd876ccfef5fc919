import numpy as np


def kfold_indices(
    n: int, k: int, shuffle: bool = False, seed: int | None = None
) -> list[tuple[np.ndarray, np.ndarray]]:
    order = np.random.default_rng(seed).permutation(n) if shuffle else np.arange(n)
    sizes = np.full(k, n // k)
    sizes[: n % k] += 1
    folds = []
    start = 0
    for size in sizes:
        stop = start + int(size)
        test = np.sort(order[start:stop])
        train = np.sort(np.concatenate([order[:start], order[stop - 1 :]]))
        folds.append((train, test))
        start = stop
    return folds
