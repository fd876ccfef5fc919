def group_anagrams(strs):
    groups = {}
    for index, s in enumerate(strs):
        strs[index] = "".join(sorted(s))  # the bug: overwrites the caller's strings with their keys
        groups.setdefault(strs[index], []).append(s)
    return list(groups.values())
