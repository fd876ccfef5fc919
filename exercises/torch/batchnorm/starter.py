import torch


def batch_norm_2d(
    x: torch.Tensor,
    weight: torch.Tensor,
    bias: torch.Tensor,
    running_mean: torch.Tensor,
    running_var: torch.Tensor,
    training: bool,
    momentum: float = 0.1,
    eps: float = 1e-5,
) -> torch.Tensor:
    """BatchNorm2d forward, like F.batch_norm.

    x: (N, C, H, W); weight, bias, running_mean, running_var: (C,).
    training=True: normalise with the batch mean and BIASED variance over (N, H, W) per channel,
    and update running_mean / running_var IN PLACE with momentum, using the UNBIASED variance.
    training=False: normalise with running_mean / running_var and leave them unchanged.
    Returns (N, C, H, W): x_hat * weight + bias, x_hat = (x - mean) / sqrt(var + eps).
    """
    # TODO
    raise NotImplementedError("batch_norm_2d is not implemented yet")
