def length_of_longest_substring(s):
    best = 0
    for start in range(len(s)):  # correct, but rescans from every start: O(n * answer)
        seen = set()
        for j in range(start, len(s)):
            if s[j] in seen:
                break
            seen.add(s[j])
        best = max(best, len(seen))
    return best
