import numpy as np


def log_softmax(x: np.ndarray) -> np.ndarray:
    # Normalises over axis 0 (the batch) instead of the last axis.
    shifted = x - np.max(x, axis=0, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=0, keepdims=True))
