import numpy as np


def bce_with_logits(z: np.ndarray, y: np.ndarray) -> float:
    # Adds y * z instead of subtracting it (a sign error in the rewrite).
    losses = np.maximum(z, 0.0) + y * z + np.log1p(np.exp(-np.abs(z)))
    return float(np.mean(losses))
