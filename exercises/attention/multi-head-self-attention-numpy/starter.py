import numpy as np


def multi_head_self_attention(
    x: np.ndarray, w_qkv: np.ndarray, w_o: np.ndarray, num_heads: int
) -> np.ndarray:
    """Multi-head self-attention with a fused QKV projection, no biases, no mask.

    x: (B, T, D); w_qkv: (D, 3D) applied as x @ w_qkv, columns [Q | K | V]; w_o: (D, D).
    Heads of size Dh = D // num_heads, scores scaled by sqrt(Dh). Returns (B, T, D).
    """
    # TODO: project, split Q/K/V, split heads (B, H, T, Dh), attend, merge, @ w_o.
    raise NotImplementedError("multi_head_self_attention is not implemented yet")
