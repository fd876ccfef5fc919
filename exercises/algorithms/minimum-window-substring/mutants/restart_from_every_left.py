from collections import Counter


def min_window(s, t):
    need = Counter(t)
    best = ""
    for left in range(len(s)):  # O(n^2): a fresh scan to the right from every left end
        counts = Counter()
        missing = len(t)
        for right in range(left, len(s)):
            ch = s[right]
            counts[ch] += 1
            if counts[ch] <= need[ch]:
                missing -= 1
            if missing == 0:
                if not best or right - left + 1 < len(best):
                    best = s[left : right + 1]
                break
    return best
