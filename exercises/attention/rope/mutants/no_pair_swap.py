import numpy as np


def apply_rope(x, positions, base=10000.0):
    d = x.shape[-1]
    theta = base ** (-np.arange(0, d, 2, dtype=np.float64) / d)
    angles = np.asarray(positions, dtype=np.float64)[:, None] * theta
    angles = np.repeat(angles, 2, axis=-1)  # (T, d): each angle twice
    # The bug: x * cos + x * sin without swapping the partner feature; not a rotation.
    return x * np.cos(angles) + x * np.sin(angles)
