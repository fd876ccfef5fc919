def min_window(s, t):
    need = set(t)  # the bug: "aa" becomes {"a"}, so one a is enough
    counts = {}
    have = 0
    best = ""
    left = 0
    for right, ch in enumerate(s):
        counts[ch] = counts.get(ch, 0) + 1
        if ch in need and counts[ch] == 1:
            have += 1
        while have == len(need):
            if not best or right - left + 1 < len(best):
                best = s[left : right + 1]
            counts[s[left]] -= 1
            if s[left] in need and counts[s[left]] == 0:
                have -= 1
            left += 1
    return best
