def min_eating_speed(piles: list[int], h: int) -> int:
    """Smallest integer speed k with sum(ceil(p / k) for p in piles) <= h."""
    # TODO: binary search k in 1..max(piles); check each candidate speed with one pass.
    raise NotImplementedError("min_eating_speed is not implemented yet")
