def rob(nums: list[int]) -> int:
    """The largest sum of nums over positions with no two adjacent (0 for no houses)."""
    # TODO: best(i) = max(best(i - 1), best(i - 2) + nums[i]); keep the last two values in a loop.
    raise NotImplementedError("rob is not implemented yet")
