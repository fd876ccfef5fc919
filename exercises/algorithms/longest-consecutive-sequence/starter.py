def longest_consecutive(nums: list[int]) -> int:
    """Length of the longest run of consecutive integers whose values all occur in nums."""
    # TODO: put the numbers in a set; count upwards only from values x with x - 1 not in it.
    raise NotImplementedError("longest_consecutive is not implemented yet")
