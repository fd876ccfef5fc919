from collections import Counter


def min_window(s: str, t: str) -> str:
    """Sliding window: grow on the right, shrink from the left while the window still covers t."""
    need = Counter(t)
    missing = len(t)  # characters of t (with repeats) the window still lacks
    best_start, best_len = 0, len(s) + 1
    left = 0
    for right, ch in enumerate(s):
        if need[ch] > 0:
            missing -= 1
        need[ch] -= 1
        if missing:
            continue
        while need[s[left]] < 0:  # s[left] is surplus: drop it
            need[s[left]] += 1
            left += 1
        if right - left + 1 < best_len:  # strict: keep the leftmost of equal windows
            best_start, best_len = left, right - left + 1
        need[s[left]] += 1  # give up s[left] so the window must move on
        missing += 1
        left += 1
    return s[best_start : best_start + best_len] if best_len <= len(s) else ""
