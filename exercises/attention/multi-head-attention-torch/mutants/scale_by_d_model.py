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
        # (B, T, D) -> (B, T, H, Dh) -> (B, H, T, Dh)
        return t.view(batch, seq_len, num_heads, head_dim).transpose(1, 2)

    q = split_heads(x @ w_q)
    k = split_heads(x @ w_k)
    v = split_heads(x @ w_v)
    scores = q @ k.transpose(-2, -1) / math.sqrt(d_model)  # the bug: d_model, not head_dim
    weights = torch.softmax(scores, dim=-1)
    heads = weights @ v  # (B, H, T, Dh)
    merged = heads.transpose(1, 2).reshape(batch, seq_len, d_model)  # (B, T, D)
    return merged @ w_o
