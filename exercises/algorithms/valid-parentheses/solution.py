PAIRS = {")": "(", "]": "[", "}": "{"}


def is_valid(s: str) -> bool:
    """A stack of open brackets: each closing bracket must match (and pop) the top."""
    stack: list[str] = []
    for ch in s:
        if ch in PAIRS:
            if not stack or stack[-1] != PAIRS[ch]:
                return False
            stack.pop()
        else:
            stack.append(ch)
    return not stack
