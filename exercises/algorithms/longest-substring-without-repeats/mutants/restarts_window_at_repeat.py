def length_of_longest_substring(s):
    seen = set()
    best = 0
    for ch in s:
        if ch in seen:
            seen = set()  # the bug: drops everything, also the characters after the repeat
        seen.add(ch)
        best = max(best, len(seen))
    return best
