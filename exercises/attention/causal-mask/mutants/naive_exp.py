import numpy as np


def causal_attention(q: np.ndarray, k: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Causal scaled dot-product attention: query i attends to keys 0..i."""
    seq_len, d_k = q.shape[-2], q.shape[-1]
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(d_k)  # (B, T, T)
    future = np.triu(np.ones((seq_len, seq_len), dtype=bool), k=1)  # True above the diagonal
    scores = np.where(future, -np.inf, scores)
    weights = np.exp(scores)
    weights = weights / np.sum(weights, axis=-1, keepdims=True)
    return weights @ v  # (B, T, d_v)
