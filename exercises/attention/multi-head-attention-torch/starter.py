import torch


def multi_head_attention(
    x: torch.Tensor,
    w_q: torch.Tensor,
    w_k: torch.Tensor,
    w_v: torch.Tensor,
    w_o: torch.Tensor,
    num_heads: int,
) -> torch.Tensor:
    """Multi-head self-attention without biases.

    x: (B, T, D). w_q, w_k, w_v, w_o: (D, D), applied as x @ w (not x @ w.T).
    Returns (B, T, D): heads of size Dh = D // num_heads, scaled by sqrt(Dh), softmax over keys,
    merged back to (B, T, D) and multiplied by w_o.
    """
    # TODO: project, split into heads (B, H, T, Dh), attend, merge to (B, T, D), project with w_o.
    raise NotImplementedError("multi_head_attention is not implemented yet")
