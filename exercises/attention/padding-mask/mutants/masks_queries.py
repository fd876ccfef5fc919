import numpy as np


def padded_attention(q, k, v, lengths):
    t_q, d_k = q.shape[-2], q.shape[-1]
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(d_k)
    # The bug: masks padded QUERY rows, shape (B, T_q, 1), instead of padded key columns
    # (B, 1, T_k); padded keys stay visible and padded query rows become nan.
    is_pad = np.arange(t_q)[None, :] >= np.asarray(lengths)[:, None]
    scores = np.where(is_pad[:, :, None], -np.inf, scores)
    with np.errstate(invalid="ignore"):
        scores = scores - np.max(scores, axis=-1, keepdims=True)
        weights = np.exp(scores)
        weights = weights / np.sum(weights, axis=-1, keepdims=True)
    return weights @ v, weights
