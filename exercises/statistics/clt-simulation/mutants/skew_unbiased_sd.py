import numpy as np


def sample_means(draw, n: int, reps: int, rng: np.random.Generator) -> np.ndarray:
    samples = np.asarray(draw(rng, (reps, n)), dtype=float)
    return samples.mean(axis=1)


def predicted_standard_error(sigma: float, n: int) -> float:
    return float(sigma / np.sqrt(n))


def skewness(values) -> float:
    v = np.asarray(values, dtype=float)
    d = v - v.mean()
    m2 = np.sum(d**2) / (v.size - 1)  # the bug: ddof=1 variance in the denominator
    m3 = np.mean(d**3)
    return float(m3 / m2**1.5)
