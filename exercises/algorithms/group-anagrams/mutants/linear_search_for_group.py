def group_anagrams(strs):
    keys = []
    groups = []
    for s in strs:
        key = "".join(sorted(s))
        if key in keys:  # the bug: a list search over all groups so far, O(n^2) overall
            groups[keys.index(key)].append(s)
        else:
            keys.append(key)
            groups.append([s])
    return groups
