def search(nums, target):
    n = len(nums)
    lo, hi = 0, n - 1
    while lo < hi:  # binary search for the smallest value: the rotation point
        mid = (lo + hi) // 2
        if nums[mid] > nums[hi]:
            lo = mid + 1
        else:
            hi = mid
    k = lo
    nums[:] = nums[k:] + nums[:k]  # the bug: un-rotates the caller's list to binary search it
    lo, hi = 0, n - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        if nums[mid] == target:
            return (mid + k) % n
        if nums[mid] < target:
            lo = mid + 1
        else:
            hi = mid - 1
    return -1
