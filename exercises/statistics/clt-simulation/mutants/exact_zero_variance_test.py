import numpy as np


def sample_means(draw, n: int, reps: int, rng: np.random.Generator) -> np.ndarray:
    """Means of `reps` independent samples of size n: one draw(rng, (reps, n)) call."""
    samples = np.asarray(draw(rng, (reps, n)), dtype=float)
    return samples.mean(axis=1)


def predicted_standard_error(sigma: float, n: int) -> float:
    """The CLT's standard deviation of a mean of n draws: sigma / sqrt(n)."""
    return float(sigma / np.sqrt(n))


def skewness(values) -> float:
    """Sample skewness m3 / m2**1.5 with population (1/N) moments, like scipy.stats.skew."""
    v = np.asarray(values, dtype=float)
    d = v - v.mean()
    m2 = np.mean(d**2)
    m3 = np.mean(d**3)
    if m2 == 0.0:  # exact test only: rounding leaves m2 ~ 1e-34 for [0.1, 0.1, 0.1]
        return float("nan")
    return float(m3 / m2**1.5)
