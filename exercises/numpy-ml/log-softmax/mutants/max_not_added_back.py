import numpy as np


def log_softmax(x: np.ndarray) -> np.ndarray:
    # Subtracts log(sum(exp(x - m))) from x itself, forgetting the shift m.
    m = np.max(x, axis=-1, keepdims=True)
    return x - np.log(np.sum(np.exp(x - m), axis=-1, keepdims=True))
