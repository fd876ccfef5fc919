import numpy as np


def sigmoid(z: np.ndarray) -> np.ndarray:
    """Elementwise 1 / (1 + exp(-z)), without overflow for large |z|."""
    # TODO: exponentiate only non-positive numbers (treat z >= 0 and z < 0 separately).
    raise NotImplementedError("sigmoid is not implemented yet")


def loss_and_grad(
    X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float
) -> tuple[float, np.ndarray, float]:
    """Mean binary cross-entropy of sigmoid(X @ w + b) against y, and its gradient.

    Returns (loss, grad_w of shape (d,), grad_b). Compute the loss from the logits:
    log(1 + exp(z)) - y * z, stably.
    """
    # TODO: z = X @ w + b; loss = mean(np.logaddexp(0, z) - y * z); grad_w = X^T (p - y) / n.
    raise NotImplementedError("loss_and_grad is not implemented yet")


def fit_logistic_regression(
    X: np.ndarray, y: np.ndarray, w0: np.ndarray, b0: float, lr: float, epochs: int
) -> tuple[np.ndarray, float]:
    """`epochs` full-batch gradient descent steps from (w0, b0); returns (w, b)."""
    # TODO: copy w0, then repeat: compute the gradient with loss_and_grad, step against it.
    raise NotImplementedError("fit_logistic_regression is not implemented yet")
