import torch


def train(model, optimizer, loss_fn, X: torch.Tensor, y: torch.Tensor, epochs: int) -> list[float]:
    """Full-batch training; returns the loss of every epoch (measured before its update)."""
    model.train()
    losses = []
    for _ in range(epochs):
        loss = loss_fn(model(X), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses
