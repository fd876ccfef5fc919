def is_valid(s):
    # the bug: only checks that the counts balance (and never go negative), not the nesting order
    depth = {"(": 0, "[": 0, "{": 0}
    closer = {")": "(", "]": "[", "}": "{"}
    for ch in s:
        if ch in closer:
            depth[closer[ch]] -= 1
            if depth[closer[ch]] < 0:
                return False
        else:
            depth[ch] += 1
    return all(count == 0 for count in depth.values())
