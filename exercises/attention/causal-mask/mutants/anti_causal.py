import numpy as np


def causal_attention(q, k, v):
    seq_len, d_k = q.shape[-2], q.shape[-1]
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(d_k)
    # The bug: blocks the past instead of the future (tril instead of triu).
    blocked = np.tril(np.ones((seq_len, seq_len), dtype=bool), k=-1)
    scores = np.where(blocked, -np.inf, scores)
    scores = scores - np.max(scores, axis=-1, keepdims=True)
    weights = np.exp(scores)
    weights = weights / np.sum(weights, axis=-1, keepdims=True)
    return weights @ v
