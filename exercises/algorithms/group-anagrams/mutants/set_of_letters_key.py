def group_anagrams(strs):
    groups = {}
    for s in strs:
        groups.setdefault(frozenset(s), []).append(s)  # the bug: ignores how often a letter occurs
    return list(groups.values())
