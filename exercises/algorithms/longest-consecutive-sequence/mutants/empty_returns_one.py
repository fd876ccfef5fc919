def longest_consecutive(nums):
    values = set(nums)
    best = 1  # the bug: an empty list has no run at all and must give 0
    for x in values:
        if x - 1 in values:
            continue
        end = x + 1
        while end in values:
            end += 1
        best = max(best, end - x)
    return best
