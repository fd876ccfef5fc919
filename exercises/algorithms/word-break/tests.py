import time

from studyapp.core.drills.sandbox.asserts import assert_equal, assert_true


def _reference(s, words):
    """Breadth-first search over the positions of s that a sequence of words can reach."""
    reached, frontier = {0}, [0]
    while frontier:
        start = frontier.pop()
        for w in words:
            end = start + len(w)
            if end not in reached and s.startswith(w, start):
                reached.add(end)
                frontier.append(end)
    return len(s) in reached


def _check(sol, s, words, expected=None, label=None):
    if expected is None:
        expected = _reference(s, words)
    what = f"word_break({label or repr(s)}, {words})"[:300]
    try:
        result = sol.word_break(s, list(words))
    except RecursionError:
        assert_true(False, f"{what} raised RecursionError; fill a table ok[0..n] in a loop")
    assert_true(isinstance(result, bool), f"{what} must return a bool, got {result!r}"[:300])
    assert_equal(result, expected, what=what)


def test_example(sol, ctx):
    _check(sol, "leetcode", ["leet", "code"], True)
    _check(sol, "catsandog", ["cats", "dog", "sand", "and", "cat"], False)


def test_words_can_be_reused(sol, ctx):
    _check(sol, "applepenapple", ["apple", "pen"], True)
    _check(sol, "aaaa", ["a"], True)
    _check(sol, "ababab", ["ab", "b"], True)


def test_needs_backtracking(sol, ctx):
    _check(sol, "cars", ["car", "ca", "rs"], True)
    _check(sol, "goalspecial", ["go", "goal", "goals", "special"], True)
    _check(sol, "aaaaaaa", ["aaaa", "aaa"], True)
    _check(sol, "aaaaaaa", ["aaaaaa", "aa"], False)


def test_pieces_must_cover_s_in_order(sol, ctx):
    _check(sol, "ab", ["a"], False)
    _check(sol, "a", ["b"], False)
    _check(sol, "Apple", ["apple"], False)
    _check(sol, "abc", ["ab", "bc"], False)  # overlapping words do not split s
    _check(sol, "ba", ["ab", "a", "b"], True)


def test_random_small_cases(sol, ctx):
    rng = ctx.rng(91)
    for _ in range(60):
        words = sorted(
            {"".join(rng.choice(list("ab"), size=int(rng.integers(1, 4)))) for _ in range(3)}
        )
        if rng.random() < 0.5:  # build s from the words so that True cases are common
            s = "".join(words[int(rng.integers(0, len(words)))] for _ in range(5))
            if rng.random() < 0.5:
                s = s[:-1] + "ab"[int(rng.integers(0, 2))]
        else:
            s = "".join(rng.choice(list("ab"), size=int(rng.integers(1, 12))))
        _check(sol, s, words)


def test_aaaab_is_fast(sol, ctx):
    words = ["a", "aa", "aaa", "aaaa", "aaaaa", "aaaaaa"]
    cases = [("a" * k + "b", words, False) for k in range(10, 40, 2)]
    cases += [("a" * 299 + "b", words, False), ("ab" * 150, ["a", "b", "ab", "ba", "aba"], True)]
    for s, dictionary, expected in cases:
        started = time.perf_counter()
        seen = set()
        for i in range(len(s) + 1):  # one plain pass over the prefixes, to calibrate the budget
            seen.add(s[:i] in dictionary)
        budget = max(0.5, 10 * (time.perf_counter() - started))

        label = f"'a' * {s.count('a')} + 'b'" if s.endswith("ab") and s[1] == "a" else None
        _, elapsed = ctx.timed(
            _check, sol, s, dictionary, expected, label=label or f"'ab' * {len(s) // 2}"
        )
        assert_true(
            elapsed < budget,
            f"word_break on a string of length {len(s)} took {elapsed:.2f} s; the budget is "
            f"{budget:.2f} s. Without memoisation the same suffixes are retried exponentially "
            "often; decide ok[i] for each position i once.",
        )
