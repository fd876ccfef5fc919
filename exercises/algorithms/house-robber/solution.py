def rob(nums: list[int]) -> int:
    """One pass keeping the best totals for the houses up to i - 2 and up to i - 1."""
    before_prev, prev = 0, 0
    for money in nums:
        before_prev, prev = prev, max(prev, before_prev + money)
    return prev
