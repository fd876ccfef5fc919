from collections import Counter


def top_k_frequent(nums, k):
    counts = Counter(nums)
    ordered = sorted(counts, key=lambda value: counts[value])  # the bug: ascending counts
    return ordered[:k]
