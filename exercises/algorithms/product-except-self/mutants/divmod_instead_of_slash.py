def product_except_self(nums):
    zeros = nums.count(0)
    total = 1
    for value in nums:
        if value != 0:
            total *= value
    if zeros >= 2:
        return [0] * len(nums)
    if zeros == 1:
        return [total if value == 0 else 0 for value in nums]
    return [divmod(total, value)[0] for value in nums]  # the bug: still division, by divmod
