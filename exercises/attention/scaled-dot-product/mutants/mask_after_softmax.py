import numpy as np


def attention(q, k, v, mask=None):
    d_k = q.shape[-1]
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(d_k)
    scores = scores - np.max(scores, axis=-1, keepdims=True)
    weights = np.exp(scores)
    weights = weights / np.sum(weights, axis=-1, keepdims=True)
    if mask is not None:
        # The bug: zeroes the masked weights after the softmax and does not renormalise.
        weights = weights * mask
    return weights @ v
