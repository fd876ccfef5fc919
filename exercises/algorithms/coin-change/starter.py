def coin_change(coins: list[int], amount: int) -> int:
    """The fewest coins summing to amount (unlimited supply of each), or -1 if impossible."""
    # TODO: best[a] = 1 + min(best[a - c] for coins c <= a), with best[0] = 0, built bottom-up.
    raise NotImplementedError("coin_change is not implemented yet")
