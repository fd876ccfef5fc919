def length_of_longest_substring(s: str) -> int:
    """Length of the longest substring of s without a repeated character."""
    # TODO: slide a window [left, right]; remember where each character was seen last.
    raise NotImplementedError("length_of_longest_substring is not implemented yet")
