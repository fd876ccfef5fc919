import numpy as np


def attend_with_cache(
    x_new: np.ndarray,
    w_q: np.ndarray,
    w_k: np.ndarray,
    w_v: np.ndarray,
    cache_k: np.ndarray,
    cache_v: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Causal single-head attention over the cache plus the new tokens; returns the new cache."""
    t_past, t_new = cache_k.shape[1], x_new.shape[1]
    q = x_new @ w_q  # (B, T_new, d_k)
    keys = np.concatenate([cache_k, x_new @ w_k], axis=1)  # (B, T_past + T_new, d_k)
    values = np.concatenate([cache_v, x_new @ w_v], axis=1)  # (B, T_past + T_new, d_v)
    scores = q @ np.swapaxes(keys, -1, -2) / np.sqrt(q.shape[-1])  # (B, T_new, T_total)
    query_pos = t_past + np.arange(t_new)[:, None]  # absolute positions of the new tokens
    key_pos = np.arange(t_past + t_new)[None, :]
    scores = np.where(key_pos <= query_pos, scores, -np.inf)
    weights = np.exp(scores)
    weights = weights / np.sum(weights, axis=-1, keepdims=True)
    return weights @ values, keys, values
