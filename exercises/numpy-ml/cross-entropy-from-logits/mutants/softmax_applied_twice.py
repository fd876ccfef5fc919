import numpy as np


def cross_entropy(logits: np.ndarray, targets: np.ndarray) -> float:
    # Converts the logits to probabilities first and then treats those as logits.
    e = np.exp(logits - np.max(logits, axis=1, keepdims=True))
    probs = e / e.sum(axis=1, keepdims=True)
    lse = np.log(np.sum(np.exp(probs), axis=1))
    return float(np.mean(lse - probs[np.arange(len(targets)), targets]))
