import math

import torch


def grouped_query_attention(
    x: torch.Tensor,
    w_q: torch.Tensor,
    w_k: torch.Tensor,
    w_v: torch.Tensor,
    w_o: torch.Tensor,
    n_heads: int,
    n_kv_heads: int,
) -> torch.Tensor:
    """Grouped-query self-attention: query head h shares KV head h // (n_heads // n_kv_heads)."""
    batch, seq_len, d_model = x.shape
    head_dim = d_model // n_heads
    group = n_heads // n_kv_heads

    def split_heads(t: torch.Tensor, heads: int) -> torch.Tensor:
        # (B, T, heads * Dh) -> (B, T, heads, Dh) -> (B, heads, T, Dh)
        return t.view(batch, seq_len, heads, head_dim).transpose(1, 2)

    q = split_heads(x @ w_q, n_heads)  # (B, H, T, Dh)
    k = split_heads(x @ w_k, n_kv_heads)  # (B, H_kv, T, Dh)
    v = split_heads(x @ w_v, n_kv_heads)
    k = k.repeat_interleave(group, dim=1)  # (B, H, T, Dh): [k0, k0, k1, k1, ...]
    v = v.repeat_interleave(group, dim=1)
    scores = q @ k.transpose(-2, -1) / math.sqrt(head_dim)  # (B, H, T, T)
    heads = torch.softmax(scores, dim=-1) @ v  # (B, H, T, Dh)
    merged = heads.transpose(1, 2).reshape(batch, seq_len, d_model)  # (B, T, D)
    return merged @ w_o
