import numpy as np


def causal_attention(q, k, v):
    seq_len, d_k = q.shape[-2], q.shape[-1]
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(d_k)
    # The bug: triu(k=0) also blocks the diagonal, so a token cannot see itself
    # (and row 0 is fully masked).
    future = np.triu(np.ones((seq_len, seq_len), dtype=bool), k=0)
    scores = np.where(future, -np.inf, scores)
    with np.errstate(invalid="ignore"):
        scores = scores - np.max(scores, axis=-1, keepdims=True)
        weights = np.exp(scores)
        weights = weights / np.sum(weights, axis=-1, keepdims=True)
    return weights @ v
