def merge(intervals: list[list[int]]) -> list[list[int]]:
    """Merge overlapping or touching closed intervals; return them sorted by start."""
    # TODO: sort by start, then extend the last merged interval or start a new one.
    raise NotImplementedError("merge is not implemented yet")
