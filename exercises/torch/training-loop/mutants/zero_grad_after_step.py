import torch


def train(model, optimizer, loss_fn, X: torch.Tensor, y: torch.Tensor, epochs: int) -> list[float]:
    """Clears the gradients at the END of each epoch: the first step also uses stale ones."""
    model.train()
    losses = []
    for _ in range(epochs):
        loss = loss_fn(model(X), y)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        losses.append(loss.item())
    return losses
