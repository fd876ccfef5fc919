def two_sum(nums, target):
    seen = set()
    for value in nums:
        if target - value in seen:
            return [target - value, value]  # the bug: values, not indices
        seen.add(value)
    return []
