def group_anagrams(strs):
    strs.sort()  # the bug: sorts the caller's list (the groups themselves come out right)
    groups = {}
    for s in strs:
        groups.setdefault("".join(sorted(s)), []).append(s)
    return list(groups.values())
