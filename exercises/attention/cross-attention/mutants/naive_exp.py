import numpy as np


def cross_attention(
    x_dec: np.ndarray,
    x_enc: np.ndarray,
    w_q: np.ndarray,
    w_k: np.ndarray,
    w_v: np.ndarray,
    w_o: np.ndarray,
    num_heads: int,
) -> np.ndarray:
    """Multi-head cross-attention: queries from the decoder, keys and values from the encoder."""
    batch, _, d_model = x_dec.shape
    head_dim = d_model // num_heads

    def split_heads(t: np.ndarray) -> np.ndarray:
        # (B, T, D) -> (B, T, H, Dh) -> (B, H, T, Dh)
        return t.reshape(batch, t.shape[1], num_heads, head_dim).transpose(0, 2, 1, 3)

    q = split_heads(x_dec @ w_q)  # (B, H, T_q, Dh)
    k = split_heads(x_enc @ w_k)  # (B, H, T_k, Dh)
    v = split_heads(x_enc @ w_v)  # (B, H, T_k, Dh)
    scores = q @ k.transpose(0, 1, 3, 2) / np.sqrt(head_dim)  # (B, H, T_q, T_k)
    weights = np.exp(scores)
    weights = weights / np.sum(weights, axis=-1, keepdims=True)
    heads = weights @ v  # (B, H, T_q, Dh)
    merged = heads.transpose(0, 2, 1, 3).reshape(batch, -1, d_model)  # (B, T_q, D)
    return merged @ w_o
