import torch


def layer_norm(
    x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor, eps: float = 1e-5
) -> torch.Tensor:
    """LayerNorm over the LAST dimension.

    x: (..., D); weight, bias: (D,).
    y = (x - mean) / sqrt(var + eps) * weight + bias, with mean and the BIASED variance (divide
    by D) taken over the last dimension of each row. Same shape, dtype and device as x.
    """
    # TODO
    raise NotImplementedError("layer_norm is not implemented yet")
