import torch
from torch import nn


class LoRALinear(nn.Module):
    """LoRA adapter around a given nn.Linear (weight W (out, in), optional bias b).

    __init__(base, r, alpha, A): keep `base` as self.base and freeze its weight and bias
    (requires_grad False); self.A = nn.Parameter copy of A (r, in); self.B = nn.Parameter of
    zeros (out, r); both on the device and dtype of base.weight; scale = alpha / r.
    forward(x): base(x) + scale * (x @ A.T @ B.T), x of shape (..., in).
    merged_weight(): W + scale * B @ A, shape (out, in).
    """

    def __init__(self, base: nn.Linear, r: int, alpha: float, A: torch.Tensor):
        super().__init__()
        # TODO: store and freeze base, create the parameters A and B, compute the scale.
        raise NotImplementedError("LoRALinear is not implemented yet")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("LoRALinear.forward is not implemented yet")

    def merged_weight(self) -> torch.Tensor:
        raise NotImplementedError("LoRALinear.merged_weight is not implemented yet")
