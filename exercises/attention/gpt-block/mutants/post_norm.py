import math

import torch
import torch.nn.functional as F


def _causal_self_attention(
    h: torch.Tensor, p: dict[str, torch.Tensor], num_heads: int
) -> torch.Tensor:
    batch, seq_len, d_model = h.shape
    head_dim = d_model // num_heads
    qkv = h @ p["w_qkv"] + p["b_qkv"]  # (B, T, 3D)
    q, k, v = qkv.split(d_model, dim=-1)

    def split_heads(t: torch.Tensor) -> torch.Tensor:
        return t.view(batch, seq_len, num_heads, head_dim).transpose(1, 2)  # (B, H, T, Dh)

    q, k, v = split_heads(q), split_heads(k), split_heads(v)
    scores = q @ k.transpose(-2, -1) / math.sqrt(head_dim)  # (B, H, T, T)
    future = torch.triu(torch.ones(seq_len, seq_len, dtype=torch.bool, device=h.device), diagonal=1)
    scores = scores.masked_fill(future, float("-inf"))
    heads = torch.softmax(scores, dim=-1) @ v  # (B, H, T, Dh)
    merged = heads.transpose(1, 2).reshape(batch, seq_len, d_model)
    return merged @ p["w_o"] + p["b_o"]


def _mlp(h: torch.Tensor, p: dict[str, torch.Tensor]) -> torch.Tensor:
    return F.gelu(h @ p["w_fc"] + p["b_fc"]) @ p["w_proj"] + p["b_proj"]


def gpt_block(x: torch.Tensor, p: dict[str, torch.Tensor], num_heads: int) -> torch.Tensor:
    """Pre-norm GPT block: h = x + attn(ln1(x)); out = h + mlp(ln2(h))."""
    d_model = x.shape[-1]

    def ln1(t: torch.Tensor) -> torch.Tensor:
        return F.layer_norm(t, (d_model,), p["ln1_weight"], p["ln1_bias"], eps=1e-5)

    def ln2(t: torch.Tensor) -> torch.Tensor:
        return F.layer_norm(t, (d_model,), p["ln2_weight"], p["ln2_bias"], eps=1e-5)

    # the bug: post-norm (original Transformer), LayerNorm after each residual add
    h = ln1(x + _causal_self_attention(x, p, num_heads))
    return ln2(h + _mlp(h, p))
