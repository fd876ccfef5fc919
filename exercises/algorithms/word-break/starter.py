def word_break(s: str, word_dict: list[str]) -> bool:
    """True if s is a concatenation of one or more words from word_dict (reuse allowed)."""
    # TODO: ok[0] = True; ok[i] = True if some word w ends at i with ok[i - len(w)] True.
    raise NotImplementedError("word_break is not implemented yet")
