def top_k_frequent(nums, k):
    # correct, but nums.count(x) scans the whole list for every distinct x: O(n * distinct)
    counts = {value: nums.count(value) for value in set(nums)}
    return sorted(counts, key=lambda value: -counts[value])[:k]
