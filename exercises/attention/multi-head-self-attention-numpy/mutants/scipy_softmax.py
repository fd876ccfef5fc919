import numpy as np
from scipy.special import softmax as _scipy_softmax


def _softmax(s: np.ndarray) -> np.ndarray:
    return _scipy_softmax(s, axis=-1)


def multi_head_self_attention(
    x: np.ndarray, w_qkv: np.ndarray, w_o: np.ndarray, num_heads: int
) -> np.ndarray:
    """Multi-head self-attention with a fused QKV projection (x @ w), no biases, no mask."""
    batch, seq_len, d_model = x.shape
    head_dim = d_model // num_heads
    qkv = x @ w_qkv  # (B, T, 3D)
    q, k, v = qkv[..., :d_model], qkv[..., d_model : 2 * d_model], qkv[..., 2 * d_model :]

    def split_heads(t: np.ndarray) -> np.ndarray:
        # (B, T, D) -> (B, T, H, Dh) -> (B, H, T, Dh)
        return t.reshape(batch, seq_len, num_heads, head_dim).transpose(0, 2, 1, 3)

    q, k, v = split_heads(q), split_heads(k), split_heads(v)
    scores = q @ k.transpose(0, 1, 3, 2) / np.sqrt(head_dim)  # (B, H, T, T)
    heads = _softmax(scores) @ v  # (B, H, T, Dh)
    merged = heads.transpose(0, 2, 1, 3).reshape(batch, seq_len, d_model)  # (B, T, D)
    return merged @ w_o
