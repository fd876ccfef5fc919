import numpy as np


def attention(
    q: np.ndarray, k: np.ndarray, v: np.ndarray, mask: np.ndarray | None = None
) -> np.ndarray:
    """Scaled dot-product attention.

    q: (B, T_q, d_k), k: (B, T_k, d_k), v: (B, T_k, d_v).
    mask: optional bool array broadcastable to (B, T_q, T_k); True = may attend.
    Returns softmax(q @ k^T / sqrt(d_k)) @ v with the softmax over the keys: (B, T_q, d_v).
    """
    # TODO: scores, mask (-inf where mask is False), stable softmax over the last axis, @ v.
    raise NotImplementedError("attention is not implemented yet")
