import numpy as np


def standardize(X: np.ndarray) -> np.ndarray:
    # Divides by a zero std for constant columns: 0 / 0 = nan.
    return (X - X.mean(axis=0)) / X.std(axis=0)
