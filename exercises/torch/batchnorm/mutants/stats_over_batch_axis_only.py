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
    """BatchNorm over (N, H, W) for each channel of x (N, C, H, W)."""
    if training:
        mean = x.mean(dim=0)
        var = x.var(dim=0, unbiased=False)
        count = x.shape[0]
        with torch.no_grad():
            running_mean.mul_(1 - momentum).add_(momentum * mean.mean(dim=(1, 2)))
            unbiased = var * count / (count - 1)
            running_var.mul_(1 - momentum).add_(momentum * unbiased.mean(dim=(1, 2)))
    else:
        mean, var = running_mean, running_var
    shape = (1, -1, 1, 1) if mean.dim() == 1 else (1, *mean.shape)
    x_hat = (x - mean.view(shape)) / torch.sqrt(var.view(shape) + eps)
    return x_hat * weight.view(1, -1, 1, 1) + bias.view(1, -1, 1, 1)
