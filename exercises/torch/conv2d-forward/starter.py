import torch


def conv2d(
    x: torch.Tensor,
    weight: torch.Tensor,
    bias: torch.Tensor | None = None,
    stride=1,
    padding=0,
    dilation=1,
) -> torch.Tensor:
    """2-D convolution forward exactly like torch.nn.functional.conv2d with groups=1.

    x: (N, C_in, H, W); weight: (C_out, C_in, kH, kW); bias: (C_out,) or None.
    stride, padding, dilation: an int or a pair (for height, width). Zero padding on all sides.
    Cross-correlation (the kernel is NOT flipped):
      out[n, o, y, x] = bias[o] + sum_{c, i, j} weight[o, c, i, j]
                        * x_padded[n, c, y * sH + i * dH, x * sW + j * dW]
    Returns (N, C_out, H_out, W_out), H_out = (H + 2 pH - dH (kH - 1) - 1) // sH + 1.
    """
    # TODO: pad, then loop over kernel offsets (or build im2col patches).
    raise NotImplementedError("conv2d is not implemented yet")
