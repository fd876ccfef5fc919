def group_anagrams(strs: list[str]) -> list[list[str]]:
    """Group the strings of strs that are anagrams of each other (any order at both levels)."""
    # TODO: map a key that is equal exactly for anagrams (e.g. the sorted letters) to its group.
    raise NotImplementedError("group_anagrams is not implemented yet")
