from bisect import bisect_left


def search(nums, target):
    # find the index of the minimum ...
    lo, hi = 0, len(nums) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if nums[mid] >= nums[0]:  # the bug: without rotation every value is >= nums[0],
            lo = mid + 1  # so the "minimum" lands on the last index
        else:
            hi = mid
    pivot = lo
    # ... then binary search the sorted part that can hold target
    if pivot > 0 and target >= nums[0]:
        left, right = 0, pivot
    else:
        left, right = pivot, len(nums)
    i = bisect_left(nums, target, left, right)
    return i if i < right and nums[i] == target else -1
