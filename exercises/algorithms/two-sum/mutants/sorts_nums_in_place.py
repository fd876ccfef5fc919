def two_sum(nums, target):
    order = sorted(range(len(nums)), key=nums.__getitem__)
    nums.sort()  # the bug: sorts the caller's list instead of a copy
    lo, hi = 0, len(nums) - 1
    while lo < hi:
        total = nums[lo] + nums[hi]
        if total == target:
            return [order[lo], order[hi]]
        if total < target:
            lo += 1
        else:
            hi -= 1
    return []
