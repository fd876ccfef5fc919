import numpy as np


def causal_attention(q: np.ndarray, k: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Causal scaled dot-product attention.

    q, k: (B, T, d_k); v: (B, T, d_v). Query i attends to keys 0..i (diagonal included).
    Blocked scores are -inf before a stable softmax over the keys. Returns (B, T, d_v).
    """
    # TODO: scores / sqrt(d_k), set scores above the diagonal to -inf, softmax over keys, @ v.
    raise NotImplementedError("causal_attention is not implemented yet")
