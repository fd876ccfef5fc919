from itertools import pairwise


def longest_consecutive(nums):
    if not nums:
        return 0
    ordered = sorted(nums)
    best = current = 1
    for prev, x in pairwise(ordered):
        if x == prev + 1:
            current += 1
        else:  # the bug: a repeated value (x == prev) ends the run
            current = 1
        best = max(best, current)
    return best
