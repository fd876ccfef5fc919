import numpy as np


def mlp_loss_and_grads(
    X: np.ndarray,
    y: np.ndarray,
    W1: np.ndarray,
    b1: np.ndarray,
    W2: np.ndarray,
    b2: np.ndarray,
) -> tuple[float, dict[str, np.ndarray]]:
    """Mean softmax cross-entropy of a 2-layer ReLU MLP and its gradients.

    X: (N, D), y: (N,) integer class indices, W1: (D, H), b1: (H,), W2: (H, C), b2: (C,).
    Forward: z1 = X @ W1 + b1, a1 = relu(z1), logits = a1 @ W2 + b2,
    loss = mean over the batch of -log softmax(logits)[i, y[i]].
    Returns (loss as a float, {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}), each gradient with
    the shape of its parameter. relu'(0) = 0.
    """
    # TODO: forward pass, then backpropagate by hand (no autograd).
    raise NotImplementedError("mlp_loss_and_grads is not implemented yet")
