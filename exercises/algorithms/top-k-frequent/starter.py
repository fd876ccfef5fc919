def top_k_frequent(nums: list[int], k: int) -> list[int]:
    """Return the k most frequent values of nums (distinct values, any order)."""
    # TODO: count every value once (a dict), then take the k values with the largest counts.
    raise NotImplementedError("top_k_frequent is not implemented yet")
