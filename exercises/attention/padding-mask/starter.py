import numpy as np


def padded_attention(
    q: np.ndarray, k: np.ndarray, v: np.ndarray, lengths: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Scaled dot-product attention that ignores padded keys.

    q: (B, T_q, d_k), k: (B, T_k, d_k), v: (B, T_k, d_v), lengths: (B,).
    In batch b, keys at positions >= lengths[b] are padding and get weight exactly 0.
    Returns (output (B, T_q, d_v), weights (B, T_q, T_k)).
    """
    # TODO: build a (B, T_k) padding mask from lengths, put -inf in those scores, softmax, @ v.
    raise NotImplementedError("padded_attention is not implemented yet")
