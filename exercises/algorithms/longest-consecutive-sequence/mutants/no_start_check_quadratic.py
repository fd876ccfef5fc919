def longest_consecutive(nums):
    values = set(nums)
    best = 0
    for x in values:  # the bug: counts upwards from every value, not only from run starts: O(n^2)
        end = x + 1
        while end in values:
            end += 1
        best = max(best, end - x)
    return best
