import torch


def rms_norm(x: torch.Tensor, weight: torch.Tensor, eps: float = 1e-6) -> torch.Tensor:
    """RMSNorm computed in float32 (as mixed-precision code does) and cast back."""
    h = x.float()
    ms = (h * h).mean(dim=-1, keepdim=True)
    return (h / torch.sqrt(ms + eps) * weight.float()).to(x.dtype)
