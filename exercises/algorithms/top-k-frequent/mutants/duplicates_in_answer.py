from collections import Counter


def top_k_frequent(nums, k):
    counts = Counter(nums)
    # the bug: sorts the elements, not the distinct values, so a frequent value fills several slots
    return sorted(nums, key=lambda value: -counts[value])[:k]
