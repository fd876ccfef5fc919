import numpy as np


def apply_rope(x: np.ndarray, positions: np.ndarray, base: float = 10000.0) -> np.ndarray:
    """Rotary position embedding with interleaved pairs (2i, 2i+1).

    x: (..., T, d), d even; positions: (T,). Pair i of the token at position m is rotated
    counter-clockwise by m * base^(-2i/d). Returns an array shaped like x.
    """
    # TODO: angles (T, d/2); a = x[..., 0::2], b = x[..., 1::2]; rotate; interleave back.
    raise NotImplementedError("apply_rope is not implemented yet")
