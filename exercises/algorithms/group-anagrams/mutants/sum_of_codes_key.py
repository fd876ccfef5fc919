def group_anagrams(strs):
    groups = {}
    for s in strs:
        key = sum(ord(ch) for ch in s)  # the bug: "ad" and "bc" have the same sum
        groups.setdefault(key, []).append(s)
    return list(groups.values())
