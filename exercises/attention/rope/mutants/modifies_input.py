import numpy as np


def apply_rope(x: np.ndarray, positions: np.ndarray, base: float = 10000.0) -> np.ndarray:
    """Rotary position embedding with interleaved pairs (2i, 2i+1), rotated counter-clockwise."""
    d = x.shape[-1]
    theta = base ** (-np.arange(0, d, 2, dtype=np.float64) / d)  # (d/2,)
    angles = np.asarray(positions, dtype=np.float64)[:, None] * theta  # (T, d/2)
    cos, sin = np.cos(angles), np.sin(angles)
    a, b = x[..., 0::2], x[..., 1::2]  # (..., T, d/2)
    a, b = a.copy(), b.copy()
    x[..., 0::2] = a * cos - b * sin  # overwrites the caller's array
    x[..., 1::2] = a * sin + b * cos
    return x
