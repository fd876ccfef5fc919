def group_anagrams(strs: list[str]) -> list[list[str]]:
    """One pass: the sorted letters are the same exactly for anagrams, so use them as a dict key."""
    groups: dict[str, list[str]] = {}
    for s in strs:
        groups.setdefault("".join(sorted(s)), []).append(s)
    return list(groups.values())
