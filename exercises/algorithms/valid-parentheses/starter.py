def is_valid(s: str) -> bool:
    """True if every bracket in s is closed by the same type, in the right order."""
    # TODO: push opening brackets on a stack; a closing bracket must match the top.
    raise NotImplementedError("is_valid is not implemented yet")
