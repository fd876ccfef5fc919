def word_break(s, word_dict):
    def can(start):  # correct, but the same suffixes are retried exponentially often
        if start == len(s):
            return True
        return any(s.startswith(w, start) and can(start + len(w)) for w in word_dict)

    return can(0)
