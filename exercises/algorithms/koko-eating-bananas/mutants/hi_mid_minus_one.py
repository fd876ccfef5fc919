def min_eating_speed(piles, h):
    def hours(k):
        return sum((p + k - 1) // k for p in piles)

    lo, hi = 1, max(piles)
    while lo < hi:
        mid = (lo + hi) // 2
        if hours(mid) <= h:
            hi = mid - 1  # the bug: mid works and may be the answer, but is thrown away
        else:
            lo = mid + 1
    return lo
