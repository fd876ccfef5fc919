def two_sum(nums, target):
    index = {value: i for i, value in enumerate(nums)}
    for i, value in enumerate(nums):
        if target - value in index:
            return [i, index[target - value]]  # the bug: index[...] may be i itself
    return []
