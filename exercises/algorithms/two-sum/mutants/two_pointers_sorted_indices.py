def two_sum(nums, target):
    ordered = sorted(nums)
    lo, hi = 0, len(ordered) - 1
    while lo < hi:
        total = ordered[lo] + ordered[hi]
        if total == target:
            return [lo, hi]  # the bug: positions in the sorted copy, not in nums
        if total < target:
            lo += 1
        else:
            hi -= 1
    return []
