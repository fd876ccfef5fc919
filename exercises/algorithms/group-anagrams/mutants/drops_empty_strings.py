def group_anagrams(strs):
    groups = {}
    for s in strs:
        if not s:  # the bug: empty strings are strings too and must form their own group
            continue
        groups.setdefault("".join(sorted(s)), []).append(s)
    return list(groups.values())
