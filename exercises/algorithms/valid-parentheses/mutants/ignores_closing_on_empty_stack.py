def is_valid(s):
    pairs = {")": "(", "]": "[", "}": "{"}
    stack = []
    for ch in s:
        if ch in pairs:
            if stack:  # the bug: a closing bracket with nothing open is silently skipped
                if stack[-1] != pairs[ch]:
                    return False
                stack.pop()
        else:
            stack.append(ch)
    return not stack
