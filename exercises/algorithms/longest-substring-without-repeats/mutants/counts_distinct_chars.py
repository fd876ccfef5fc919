def length_of_longest_substring(s):
    return len(set(s))  # the bug: distinct characters of the whole string, not of a substring
