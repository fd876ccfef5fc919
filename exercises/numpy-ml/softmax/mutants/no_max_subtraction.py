import numpy as np


def softmax(x: np.ndarray) -> np.ndarray:
    exps = np.exp(x)
    return exps / np.sum(exps, axis=-1, keepdims=True)
