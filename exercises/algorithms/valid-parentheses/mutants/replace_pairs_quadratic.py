def is_valid(s):
    # correct, but each round scans and copies the whole string: O(n^2) on deep nesting
    while "()" in s or "[]" in s or "{}" in s:
        s = s.replace("()", "").replace("[]", "").replace("{}", "")
    return s == ""
