def min_eating_speed(piles, h):
    piles.sort(reverse=True)  # the bug: sorts the caller's list (to stop early on small piles)

    def hours(k):
        total = 0
        for p in piles:
            total += (p + k - 1) // k
            if total > h:
                break
        return total

    lo, hi = 1, piles[0]
    while lo < hi:
        mid = (lo + hi) // 2
        if hours(mid) <= h:
            hi = mid
        else:
            lo = mid + 1
    return lo
