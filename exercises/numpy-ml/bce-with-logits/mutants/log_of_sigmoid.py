import numpy as np


def bce_with_logits(z: np.ndarray, y: np.ndarray) -> float:
    # Textbook formula on probabilities: sigmoid(100) == 1.0 exactly, so log(1 - p) = -inf.
    p = 1.0 / (1.0 + np.exp(-z))
    return float(np.mean(-(y * np.log(p) + (1.0 - y) * np.log(1.0 - p))))
