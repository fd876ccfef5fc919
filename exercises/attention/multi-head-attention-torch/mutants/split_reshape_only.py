import math

import torch


def multi_head_attention(
    x: torch.Tensor,
    w_q: torch.Tensor,
    w_k: torch.Tensor,
    w_v: torch.Tensor,
    w_o: torch.Tensor,
    num_heads: int,
) -> torch.Tensor:
    batch, seq_len, d_model = x.shape
    head_dim = d_model // num_heads

    def split_heads(t: torch.Tensor) -> torch.Tensor:
        # The bug: reinterprets (B, T, D) memory as (B, H, T, Dh), mixing tokens and heads.
        return t.view(batch, num_heads, seq_len, head_dim)

    q = split_heads(x @ w_q)
    k = split_heads(x @ w_k)
    v = split_heads(x @ w_v)
    scores = q @ k.transpose(-2, -1) / math.sqrt(head_dim)  # (B, H, T, T)
    weights = torch.softmax(scores, dim=-1)
    heads = weights @ v  # (B, H, T, Dh)
    merged = heads.reshape(batch, seq_len, d_model)  # the inverse of the wrong split
    return merged @ w_o
