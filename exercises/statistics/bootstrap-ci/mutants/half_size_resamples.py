import numpy as np


def bootstrap_means(x, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    x = np.asarray(x, dtype=float)
    idx = rng.integers(0, x.size, size=(n_boot, x.size // 2))  # the bug: resamples of size n/2
    return x[idx].mean(axis=1)


def percentile_ci(boot_stats, alpha: float = 0.05) -> tuple[float, float]:
    lo, hi = np.percentile(
        np.asarray(boot_stats, dtype=float), [50.0 * alpha, 100.0 - 50.0 * alpha]
    )
    return float(lo), float(hi)


def bootstrap_ci(x, n_boot: int = 2000, alpha: float = 0.05, seed: int = 0) -> tuple[float, float]:
    rng = np.random.default_rng(seed)
    return percentile_ci(bootstrap_means(x, n_boot, rng), alpha)
