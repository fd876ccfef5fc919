import numpy as np


def attend_with_cache(x_new, w_q, w_k, w_v, cache_k, cache_v):
    t_past, t_new = cache_k.shape[1], x_new.shape[1]
    q = x_new @ w_q
    keys = np.concatenate([cache_k, x_new @ w_k], axis=1)
    values = np.concatenate([cache_v, x_new @ w_v], axis=1)
    scores = q @ np.swapaxes(keys, -1, -2) / np.sqrt(q.shape[-1])
    query_pos = t_past + np.arange(t_new)[:, None]
    key_pos = np.arange(t_past + t_new)[None, :]
    # The bug: < instead of <=, so a token does not attend to itself (and the first is nan).
    scores = np.where(key_pos < query_pos, scores, -np.inf)
    with np.errstate(invalid="ignore"):
        scores = scores - np.max(scores, axis=-1, keepdims=True)
        weights = np.exp(scores)
        weights = weights / np.sum(weights, axis=-1, keepdims=True)
    return weights @ values, keys, values
