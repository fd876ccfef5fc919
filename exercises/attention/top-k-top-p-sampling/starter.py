import numpy as np


def filtered_probs(logits: np.ndarray, temperature: float, top_k: int, top_p: float) -> np.ndarray:
    """softmax(logits / temperature), then top-k (0 = off), then top-p (1.0 = off), renormalised.

    Returns (V,) float64 with exact zeros for removed tokens.
    """
    # TODO: temperature, stable softmax, keep top_k, keep the nucleus (crossing token included).
    raise NotImplementedError("filtered_probs is not implemented yet")


def sample(
    logits: np.ndarray, temperature: float, top_k: int, top_p: float, rng: np.random.Generator
) -> int:
    """Draw one token id from filtered_probs(...) using rng."""
    raise NotImplementedError("sample is not implemented yet")
