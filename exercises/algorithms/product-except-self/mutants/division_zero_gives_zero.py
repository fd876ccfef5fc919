def product_except_self(nums):
    total = 1
    for value in nums:
        if value != 0:
            total *= value
    # the bug: uses division, and a zero's own position gets 0 instead of the others' product
    return [total // value if value != 0 else 0 for value in nums]
