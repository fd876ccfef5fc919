import numpy as np


def softmax(x: np.ndarray) -> np.ndarray:
    return x / np.sum(x, axis=-1, keepdims=True)
