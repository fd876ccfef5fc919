import numpy as np


def log_softmax(x: np.ndarray) -> np.ndarray:
    """Numerically stable log-softmax over the last axis.

    x: float64 array with ndim >= 1. Returns an array of the same shape:
    x - logsumexp(x, axis=-1, keepdims=True).
    """
    # TODO: m = max over axis -1 (keepdims); return x - m - log(sum(exp(x - m))) over axis -1.
    raise NotImplementedError("log_softmax is not implemented yet")
