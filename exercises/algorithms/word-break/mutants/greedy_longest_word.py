def word_break(s, word_dict):
    i = 0
    while i < len(s):
        matches = [w for w in word_dict if s.startswith(w, i)]
        if not matches:
            return False
        i += len(max(matches, key=len))  # the bug: commits to the longest word, never backtracks
    return True
