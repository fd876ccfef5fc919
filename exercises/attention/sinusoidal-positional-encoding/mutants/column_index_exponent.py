import numpy as np


def sinusoidal_positional_encoding(seq_len: int, d_model: int) -> np.ndarray:
    positions = np.arange(seq_len, dtype=np.float64)[:, None]
    # The bug: each column uses its own index j in the exponent, so the cosine column 2i + 1
    # gets the frequency of 10000^((2i + 1)/d) instead of sharing 10000^(2i/d) with its sine.
    j = np.arange(d_model, dtype=np.float64)
    angles = positions / np.power(10000.0, j / d_model)  # (T, d)
    pe = np.where(j % 2 == 0, np.sin(angles), np.cos(angles))
    return pe
