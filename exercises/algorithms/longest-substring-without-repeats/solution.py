def length_of_longest_substring(s: str) -> int:
    """Sliding window with the last index of every character; the left end only moves right."""
    last: dict[str, int] = {}
    left = best = 0
    for right, ch in enumerate(s):
        if last.get(ch, -1) >= left:  # ch repeats inside the window: start just after it
            left = last[ch] + 1
        last[ch] = right
        best = max(best, right - left + 1)
    return best
