def min_eating_speed(piles, h):
    k = 1
    while sum((p + k - 1) // k for p in piles) > h:  # correct, but tries every speed in turn
        k += 1
    return k
