import numpy as np


def sinusoidal_positional_encoding(seq_len: int, d_model: int) -> np.ndarray:
    """PE[pos, 2i] = sin(pos / 10000^(2i/d)), PE[pos, 2i+1] = cos(pos / 10000^(2i/d)).

    Returns a (seq_len, d_model) float64 array; d_model is even.
    """
    # TODO: positions (T, 1), frequencies per pair (d/2,), sin into even columns, cos into odd.
    raise NotImplementedError("sinusoidal_positional_encoding is not implemented yet")
