def search(nums, target):
    # correct, but scans the list: O(n) per search instead of O(log n)
    return nums.index(target) if target in nums else -1
