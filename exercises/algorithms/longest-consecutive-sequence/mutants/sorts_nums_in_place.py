def longest_consecutive(nums):
    values = set(nums)
    best = 0
    for x in values:
        if x - 1 in values:
            continue
        end = x + 1
        while end in values:
            end += 1
        best = max(best, end - x)
    nums[:] = sorted(values)  # the bug: replaces the caller's list with its sorted distinct values
    return best
