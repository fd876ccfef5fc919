def merge(intervals):
    merged = []
    for start, end in sorted(intervals):
        if merged and start < merged[-1][1]:  # the bug: < leaves [1, 4] and [4, 5] apart
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return merged
