def merge(intervals: list[list[int]]) -> list[list[int]]:
    """Sort by start, then sweep: O(n log n)."""
    merged: list[list[int]] = []
    for start, end in sorted(intervals, key=lambda iv: iv[0]):
        if merged and start <= merged[-1][1]:  # overlaps or touches the last one
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return merged
