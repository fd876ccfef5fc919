import numpy as np
import torch


def sinusoidal_positional_encoding(seq_len: int, d_model: int) -> np.ndarray:
    """Sine on even columns, cosine on odd columns; columns 2i and 2i+1 share a frequency."""
    positions = np.arange(seq_len, dtype=np.float64)[:, None]  # (T, 1)
    two_i = np.arange(0, d_model, 2, dtype=np.float64)  # (d/2,): 0, 2, 4, ...
    angles = positions / np.power(10000.0, two_i / d_model)  # (T, d/2)
    pe = np.zeros((seq_len, d_model))
    pe[:, 0::2] = torch.sin(torch.from_numpy(angles)).numpy()
    pe[:, 1::2] = torch.cos(torch.from_numpy(angles)).numpy()
    return pe
