import torch


class AdamW:
    """AdamW with decoupled weight decay, matching torch.optim.AdamW (amsgrad=False).

    params: an iterable of tensors with requires_grad=True (keep them in a list).
    step(): for every parameter p whose p.grad is not None, update p IN PLACE:
        t += 1 (once per step() call; the first step uses t = 1)
        p *= 1 - lr * weight_decay
        m = beta1 * m + (1 - beta1) * g;  v = beta2 * v + (1 - beta2) * g * g
        p -= lr * (m / (1 - beta1**t)) / (sqrt(v / (1 - beta2**t)) + eps)
    zero_grad(): set every p.grad to None.
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
        # TODO: store the hyper-parameters and one m and one v (zeros) per parameter.
        raise NotImplementedError("AdamW is not implemented yet")

    @torch.no_grad()
    def step(self):
        # TODO
        raise NotImplementedError("AdamW.step is not implemented yet")

    def zero_grad(self):
        # TODO
        raise NotImplementedError("AdamW.zero_grad is not implemented yet")
