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
    """BatchNorm over (N, H, W) for each channel of x (N, C, H, W), computed in float32."""
    dtype = x.dtype
    x, weight, bias = x.float(), weight.float(), bias.float()
    if training:
        count = x.numel() // x.shape[1]
        if count == 1:
            # The unbiased variance m / (m - 1) is undefined for one value: torch raises too.
            raise ValueError(f"expected more than 1 value per channel when training, got {count}")
        mean = x.mean(dim=(0, 2, 3))
        var = x.var(dim=(0, 2, 3), unbiased=False)
        with torch.no_grad():
            running_mean.mul_(1 - momentum).add_(momentum * mean.to(dtype))
            running_var.mul_(1 - momentum).add_(momentum * var.to(dtype) * count / (count - 1))
    else:
        mean, var = running_mean.float(), running_var.float()
    shape = (1, -1, 1, 1)
    x_hat = (x - mean.view(shape)) / torch.sqrt(var.view(shape) + eps)
    return (x_hat * weight.view(shape) + bias.view(shape)).to(dtype)
