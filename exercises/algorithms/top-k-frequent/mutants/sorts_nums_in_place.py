def top_k_frequent(nums, k):
    nums.sort()  # the bug: sorts the caller's list to count runs of equal values
    runs = []
    start = 0
    for i in range(1, len(nums) + 1):
        if i == len(nums) or nums[i] != nums[start]:
            runs.append((i - start, nums[start]))
            start = i
    runs.sort(reverse=True)
    return [value for _, value in runs[:k]]
