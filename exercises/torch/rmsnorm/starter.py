import torch


def rms_norm(x: torch.Tensor, weight: torch.Tensor, eps: float = 1e-6) -> torch.Tensor:
    """RMSNorm over the LAST dimension (as in LLaMA and F.rms_norm).

    x: (..., D); weight: (D,).
    y = x / sqrt(mean(x**2 over the last dim) + eps) * weight. No mean subtraction, no bias.
    Same shape, dtype and device as x.
    """
    # TODO
    raise NotImplementedError("rms_norm is not implemented yet")
