def word_break(s: str, word_dict: list[str]) -> bool:
    """ok[i] says whether s[:i] splits into words; each i is decided once."""
    words = set(word_dict)
    lengths = sorted({len(w) for w in words})
    ok = [True] + [False] * len(s)
    for i in range(1, len(s) + 1):
        for length in lengths:
            if length > i:
                break
            if ok[i - length] and s[i - length : i] in words:
                ok[i] = True
                break
    return ok[len(s)]
