import numpy as np


def bce_with_logits(z: np.ndarray, y: np.ndarray) -> float:
    # Exact and stable, but reuses the caller's z to hold |z|: the input is overwritten.
    losses = np.maximum(z, 0.0) - y * z
    np.abs(z, out=z)
    losses += np.log1p(np.exp(-z))
    return float(np.mean(losses))
