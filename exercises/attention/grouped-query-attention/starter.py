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
    """Grouped-query self-attention without biases or mask; weights applied as x @ w.

    x: (B, T, D); w_q, w_o: (D, D); w_k, w_v: (D, n_kv_heads * Dh) with Dh = D // n_heads.
    Query head h uses KV head h // (n_heads // n_kv_heads). Returns (B, T, D).
    """
    # TODO: project, split into heads, expand K/V with repeat_interleave, attend, merge, @ w_o.
    raise NotImplementedError("grouped_query_attention is not implemented yet")
