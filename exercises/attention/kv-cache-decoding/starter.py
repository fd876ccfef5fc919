import numpy as np


def attend_with_cache(
    x_new: np.ndarray,
    w_q: np.ndarray,
    w_k: np.ndarray,
    w_v: np.ndarray,
    cache_k: np.ndarray,
    cache_v: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Single-head causal self-attention step with a KV cache.

    x_new: (B, T_new, D); cache_k: (B, T_past, d_k); cache_v: (B, T_past, d_v).
    New token i (absolute position T_past + i) attends to keys 0 .. T_past + i.
    Returns (out (B, T_new, d_v), new_cache_k, new_cache_v) with the new K/V appended on axis 1.
    """
    # TODO: project, append k/v to the cache, causal scores vs the whole cache, softmax, @ v.
    raise NotImplementedError("attend_with_cache is not implemented yet")
