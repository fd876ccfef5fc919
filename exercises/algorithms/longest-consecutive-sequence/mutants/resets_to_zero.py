from itertools import pairwise


def longest_consecutive(nums):
    if not nums:
        return 0
    ordered = sorted(set(nums))
    best = current = 1
    for prev, x in pairwise(ordered):
        if x == prev + 1:
            current += 1
        else:
            current = 0  # the bug: x itself already starts a new run of length 1
        best = max(best, current)
    return best
