import torch


def layer_norm(
    x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor, eps: float = 1e-5
) -> torch.Tensor:
    """LayerNorm computed in float32 (as mixed-precision code does) and cast back."""
    h = x.float()
    mean = h.mean(dim=-1, keepdim=True)
    var = ((h - mean) ** 2).mean(dim=-1, keepdim=True)
    y = (h - mean) / torch.sqrt(var + eps) * weight.float() + bias.float()
    return y.to(x.dtype)
