def rob(nums):
    def best(i):  # correct, but the same suffixes are recomputed exponentially often
        if i >= len(nums):
            return 0
        return max(best(i + 1), nums[i] + best(i + 2))

    return best(0)
