import torch
from torch import nn


class LoRALinear(nn.Module):
    """A frozen nn.Linear plus a trainable low-rank update scale * B @ A."""

    def __init__(self, base: nn.Linear, r: int, alpha: float, A: torch.Tensor):
        super().__init__()
        self.base = base
        for p in self.base.parameters():
            p.requires_grad_(False)
        weight = base.weight
        self.r = r
        self.scale = alpha / r
        self.A = nn.Parameter(A.to(device=weight.device, dtype=weight.dtype))  # shares A
        self.B = nn.Parameter(
            torch.zeros(weight.shape[0], r, device=weight.device, dtype=weight.dtype)
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.base(x) + self.scale * (x @ self.A.T @ self.B.T)

    def merged_weight(self) -> torch.Tensor:
        return self.base.weight + self.scale * (self.B @ self.A)
