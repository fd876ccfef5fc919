import numpy as np


def bootstrap_means(x, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    x = np.asarray(x, dtype=float)
    idx = rng.integers(0, x.size, size=(n_boot, x.size))
    return x[idx].mean(axis=1)


def percentile_ci(boot_stats, alpha: float = 0.05) -> tuple[float, float]:
    s = np.sort(np.asarray(boot_stats, dtype=float))
    b = s.size
    # the bug: s[int(q * B)] instead of interpolating at q * (B - 1)
    lo, hi = s[int(alpha / 2 * b)], s[min(int((1 - alpha / 2) * b), b - 1)]
    return float(lo), float(hi)


def bootstrap_ci(x, n_boot: int = 2000, alpha: float = 0.05, seed: int = 0) -> tuple[float, float]:
    rng = np.random.default_rng(seed)
    return percentile_ci(bootstrap_means(x, n_boot, rng), alpha)
