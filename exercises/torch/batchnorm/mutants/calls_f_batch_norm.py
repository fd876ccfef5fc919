import torch
import torch.nn.functional as F


def batch_norm_2d(
    x, weight, bias, running_mean, running_var, training: bool, momentum=0.1, eps=1e-5
) -> torch.Tensor:
    return F.batch_norm(x, running_mean, running_var, weight, bias, training, momentum, eps)
