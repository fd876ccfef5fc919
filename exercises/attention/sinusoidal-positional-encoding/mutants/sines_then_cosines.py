import numpy as np


def sinusoidal_positional_encoding(seq_len: int, d_model: int) -> np.ndarray:
    positions = np.arange(seq_len, dtype=np.float64)[:, None]
    two_i = np.arange(0, d_model, 2, dtype=np.float64)
    angles = positions / np.power(10000.0, two_i / d_model)
    # The bug: all sines in the first half, all cosines in the second (not interleaved).
    return np.concatenate([np.sin(angles), np.cos(angles)], axis=-1)
