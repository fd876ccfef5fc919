import torch


def dropout(x: torch.Tensor, p: float, training: bool = True) -> torch.Tensor:
    """Inverted dropout.

    training=False: return x unchanged. training=True: zero each element independently with
    probability p and multiply the kept ones by 1 / (1 - p), so E[output] = x.
    p = 0 returns x; p = 1 returns zeros (never nan). Same shape, dtype and device as x.
    """
    # TODO: draw a keep-mask with torch.rand, apply it, rescale the survivors.
    raise NotImplementedError("dropout is not implemented yet")
