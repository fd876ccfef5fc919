import torch
from torch import nn


class Linear(nn.Module):
    """A fully connected layer: y = x @ weight.T + bias.

    weight: nn.Parameter of shape (out_features, in_features); bias: nn.Parameter of shape
    (out_features,), or None when bias=False. Create them with the given device and dtype.
    forward accepts x of shape (..., in_features) and returns (..., out_features).
    """

    def __init__(self, in_features, out_features, bias=True, device=None, dtype=None):
        super().__init__()
        # TODO: register self.weight (out, in) and self.bias (out,) or None as parameters.
        raise NotImplementedError("Linear.__init__ is not implemented yet")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # TODO: x @ W^T + b for any number of leading dimensions.
        raise NotImplementedError("Linear.forward is not implemented yet")
