import numpy as np


def padded_attention(
    q: np.ndarray, k: np.ndarray, v: np.ndarray, lengths: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Scaled dot-product attention; keys at positions >= lengths[b] get weight exactly 0."""
    t_k, d_k = k.shape[-2], q.shape[-1]
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(d_k)  # (B, T_q, T_k)
    is_pad = np.arange(t_k)[None, :] >= np.asarray(lengths)[:, None]  # (B, T_k)
    scores = np.where(is_pad[:, None, :], -np.inf, scores)
    weights = np.exp(scores)
    weights = weights / np.sum(weights, axis=-1, keepdims=True)
    return weights @ v, weights
