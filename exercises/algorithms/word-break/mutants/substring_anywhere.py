def word_break(s, word_dict):
    # the bug: checks that every character is covered by some word occurring somewhere in s,
    # not that s is a concatenation of words in order without overlaps
    covered = [False] * len(s)
    for w in word_dict:
        start = s.find(w)
        while start != -1:
            for k in range(start, start + len(w)):
                covered[k] = True
            start = s.find(w, start + 1)
    return all(covered)
