import numpy as np


def padded_attention(q, k, v, lengths):
    t_k, d_k = k.shape[-2], q.shape[-1]
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(d_k)
    scores = scores - np.max(scores, axis=-1, keepdims=True)
    weights = np.exp(scores)
    weights = weights / np.sum(weights, axis=-1, keepdims=True)
    # The bug: zeroes the padded weights afterwards and does not renormalise.
    valid = np.arange(t_k)[None, :] < np.asarray(lengths)[:, None]
    weights = weights * valid[:, None, :]
    return weights @ v, weights
