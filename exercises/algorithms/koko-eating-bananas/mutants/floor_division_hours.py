def min_eating_speed(piles, h):
    def hours(k):
        return sum(p // k for p in piles)  # the bug: a partly eaten hour still costs an hour

    lo, hi = 1, max(piles)
    while lo < hi:
        mid = (lo + hi) // 2
        if hours(mid) <= h:
            hi = mid
        else:
            lo = mid + 1
    return lo
