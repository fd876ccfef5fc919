def search(nums: list[int], target: int) -> int:
    """Index of target in the rotated sorted list nums (distinct values), or -1. O(log n)."""
    # TODO: binary search; at each step one half is sorted. Does target lie in its range?
    raise NotImplementedError("search is not implemented yet")
