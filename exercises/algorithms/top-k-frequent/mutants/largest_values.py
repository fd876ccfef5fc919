def top_k_frequent(nums, k):
    return sorted(set(nums), reverse=True)[:k]  # the bug: the largest values, not the most frequent
