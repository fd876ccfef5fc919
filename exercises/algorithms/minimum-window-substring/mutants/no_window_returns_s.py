from collections import Counter


def min_window(s, t):
    need = Counter(t)
    missing = len(t)
    best = s  # the bug: starts from the whole string, so "no window" returns s instead of ""
    left = 0
    for right, ch in enumerate(s):
        if need[ch] > 0:
            missing -= 1
        need[ch] -= 1
        while missing == 0:
            if right - left + 1 < len(best):
                best = s[left : right + 1]
            need[s[left]] += 1
            if need[s[left]] > 0:
                missing += 1
            left += 1
    return best
