import numpy as np


def standardize(X: np.ndarray) -> np.ndarray:
    # Uses the sample standard deviation (ddof=1) instead of the population one.
    mean = X.mean(axis=0)
    std = X.std(axis=0, ddof=1)
    std = np.where(std == 0.0, 1.0, std)
    return (X - mean) / std
