import numpy as np


def sample_means(draw, n: int, reps: int, rng: np.random.Generator) -> np.ndarray:
    """Means of `reps` samples of size n.

    Call draw(rng, (reps, n)) exactly once; return the float64 row means, shape (reps,).
    """
    # TODO
    raise NotImplementedError("sample_means is not implemented yet")


def predicted_standard_error(sigma: float, n: int) -> float:
    """The CLT's standard deviation of the mean of n draws with standard deviation sigma."""
    # TODO
    raise NotImplementedError("predicted_standard_error is not implemented yet")


def skewness(values) -> float:
    """m3 / m2**1.5 with population (1/N) central moments, like scipy.stats.skew."""
    # TODO
    raise NotImplementedError("skewness is not implemented yet")
