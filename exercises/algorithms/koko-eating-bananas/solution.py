def min_eating_speed(piles: list[int], h: int) -> int:
    """Binary search for the first speed that works; every step shrinks [lo, hi]."""

    def hours(k: int) -> int:
        return sum((p + k - 1) // k for p in piles)  # ceil(p / k) in integers

    lo, hi = 1, max(piles)  # hi always works
    while lo < hi:
        mid = (lo + hi) // 2
        if hours(mid) <= h:
            hi = mid  # mid works: the answer is mid or smaller
        else:
            lo = mid + 1  # mid is too slow: the answer is larger
    return lo
