import numpy as np


def bootstrap_means(x, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """Means of n_boot resamples of x, each of size len(x), drawn WITH replacement from rng.

    Returns a float64 array of shape (n_boot,).
    """
    x = np.asarray(x, dtype=float)
    # TODO: draw indices with rng, average each resample.
    raise NotImplementedError("bootstrap_means is not implemented yet")


def percentile_ci(boot_stats, alpha: float = 0.05) -> tuple[float, float]:
    """(lo, hi): the 100*alpha/2 and 100*(1 - alpha/2) percentiles (numpy's linear rule)."""
    # TODO
    raise NotImplementedError("percentile_ci is not implemented yet")


def bootstrap_ci(x, n_boot: int = 2000, alpha: float = 0.05, seed: int = 0) -> tuple[float, float]:
    """percentile_ci(bootstrap_means(x, n_boot, np.random.default_rng(seed)), alpha)."""
    # TODO
    raise NotImplementedError("bootstrap_ci is not implemented yet")
