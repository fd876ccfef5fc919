def group_anagrams(strs):
    groups = {}
    for s in strs:
        groups.setdefault("".join(sorted(s)), set()).add(s)  # the bug: a set drops duplicates
    return [list(group) for group in groups.values()]
