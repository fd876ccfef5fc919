def product_except_self(nums: list[int]) -> list[int]:
    """answer[i] = product of all nums[j] with j != i, without using division."""
    # TODO: one pass left to right for the prefix products, one pass right to left for the
    # suffix products.
    raise NotImplementedError("product_except_self is not implemented yet")
