def word_break(s, word_dict):
    def can(start, unused):
        if start == len(s):
            return True
        for w in list(unused):
            if s.startswith(w, start) and can(start + len(w), unused - {w}):  # the bug: no reuse
                return True
        return False

    return can(0, frozenset(word_dict))
