import numpy as np
import torch


def dropout(x: torch.Tensor, p: float, training: bool = True) -> torch.Tensor:
    if not training or p == 0.0:
        return x
    if p == 1.0:
        return torch.zeros_like(x)
    keep = np.random.default_rng().random(tuple(x.shape)) >= p
    return x * torch.as_tensor(keep, device=x.device) / (1.0 - p)
