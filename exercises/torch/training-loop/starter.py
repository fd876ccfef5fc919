import torch


def train(model, optimizer, loss_fn, X: torch.Tensor, y: torch.Tensor, epochs: int) -> list[float]:
    """Full-batch training loop.

    Each epoch: clear the gradients, forward the whole X through model, compute
    loss = loss_fn(prediction, y), backpropagate it, take one optimizer step.
    Returns a list of `epochs` Python floats: the loss of each epoch, computed by that epoch's
    forward pass (before its optimizer step).
    """
    # TODO
    raise NotImplementedError("train is not implemented yet")
