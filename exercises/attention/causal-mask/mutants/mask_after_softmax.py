import numpy as np


def causal_attention(q, k, v):
    seq_len, d_k = q.shape[-2], q.shape[-1]
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(d_k)
    scores = scores - np.max(scores, axis=-1, keepdims=True)
    weights = np.exp(scores)
    weights = weights / np.sum(weights, axis=-1, keepdims=True)
    # The bug: zeroes future weights after the softmax, so rows no longer sum to 1.
    weights = weights * np.tril(np.ones((seq_len, seq_len)))
    return weights @ v
