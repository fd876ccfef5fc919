def search(nums, target):
    lo, hi = 0, len(nums) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        if nums[mid] == target:
            return mid
        if nums[lo] <= nums[mid]:
            if nums[lo] < target < nums[mid]:  # the bug: target == nums[lo] is in this half
                hi = mid - 1
            else:
                lo = mid + 1
        else:
            if nums[mid] < target < nums[hi]:  # the bug: target == nums[hi] is in this half
                lo = mid + 1
            else:
                hi = mid - 1
    return -1
