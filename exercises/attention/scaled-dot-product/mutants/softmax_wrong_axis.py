import numpy as np


def attention(q, k, v, mask=None):
    d_k = q.shape[-1]
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(d_k)
    if mask is not None:
        scores = np.where(mask, scores, -np.inf)
    # The bug: normalises over the queries (axis -2) instead of the keys.
    scores = scores - np.max(scores, axis=-2, keepdims=True)
    weights = np.exp(scores)
    weights = weights / np.sum(weights, axis=-2, keepdims=True)
    return weights @ v
