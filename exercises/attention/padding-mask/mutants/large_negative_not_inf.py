import numpy as np


def padded_attention(q, k, v, lengths):
    t_k, d_k = k.shape[-2], q.shape[-1]
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(d_k)
    is_pad = np.arange(t_k)[None, :] >= np.asarray(lengths)[:, None]
    # The bug: -10 is not -inf; padded keys keep a small but nonzero weight.
    scores = np.where(is_pad[:, None, :], -10.0, scores)
    scores = scores - np.max(scores, axis=-1, keepdims=True)
    weights = np.exp(scores)
    weights = weights / np.sum(weights, axis=-1, keepdims=True)
    return weights @ v, weights
