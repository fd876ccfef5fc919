import torch


def dropout(x: torch.Tensor, p: float, training: bool = True) -> torch.Tensor:
    if not training or p == 0.0:
        return x
    if p == 1.0:
        return torch.zeros_like(x)
    keep = torch.rand(x.shape[-1], device=x.device) >= p  # one mask row for every row
    return x * keep / (1.0 - p)
