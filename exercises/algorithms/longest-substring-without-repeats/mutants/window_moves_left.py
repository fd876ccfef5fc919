def length_of_longest_substring(s):
    last = {}
    left = best = 0
    for right, ch in enumerate(s):
        if ch in last:
            left = last[ch] + 1  # the bug: may move left back to before the current window
        last[ch] = right
        best = max(best, right - left + 1)
    return best
