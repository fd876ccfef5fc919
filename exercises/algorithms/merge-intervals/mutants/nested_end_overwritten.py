def merge(intervals):
    merged = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = end  # the bug: [1, 10] + [2, 3] becomes [1, 3]
        else:
            merged.append([start, end])
    return merged
