import time

import numpy as np

from studyapp.core.drills.sandbox.asserts import assert_equal, assert_true


def _brute_force(s):
    """Independent reference: try every substring."""
    best = 0
    for i in range(len(s)):
        for j in range(i + 1, len(s) + 1):
            if len(set(s[i:j])) == j - i:
                best = max(best, j - i)
    return best


def _check(sol, s, expected=None):
    if expected is None:
        expected = _brute_force(s)
    what = (
        f"length_of_longest_substring({s!r})"
        if len(s) <= 60
        else f"length_of_longest_substring(s) with len(s) = {len(s)}"
    )
    result = sol.length_of_longest_substring(s)
    assert_true(
        isinstance(result, int | np.integer) and not isinstance(result, bool),
        f"{what} must return an int, got {result!r}"[:300],
    )
    assert_equal(result, expected, what=what)


def test_example(sol, ctx):
    _check(sol, "abcabcbb", 3)
    _check(sol, "pwwkew", 3)
    _check(sol, "abcdef", 6)


def test_window_never_moves_left(sol, ctx):
    _check(sol, "abba", 2)
    _check(sol, "tmmzuxt", 5)
    _check(sol, "abcbxa", 4)


def test_empty_and_all_same(sol, ctx):
    _check(sol, "", 0)
    _check(sol, "b", 1)
    _check(sol, "bbbbb", 1)


def test_keeps_characters_after_the_repeat(sol, ctx):
    _check(sol, "dvdf", 3)
    _check(sol, "aab", 2)
    _check(sol, "abcdbef", 5)


def test_spaces_case_and_unicode(sol, ctx):
    _check(sol, "a b c", 3)
    _check(sol, "aA", 2)
    _check(sol, "ñandú ñ", 6)


def test_random_small_strings(sol, ctx):
    rng = ctx.rng(91)
    for _ in range(80):
        n = int(rng.integers(0, 18))
        s = "".join(rng.choice(list("abcde"), size=n))
        _check(sol, s)


def test_large_input_is_fast(sol, ctx):
    # 10^5 characters: 125 distinct characters repeated in the same order, plus one new
    # character that makes a window of 126. Rescanning from every start position costs about
    # 1.25 * 10^7 set operations.
    rng = ctx.rng(92)
    period = [chr(0x4E00 + int(i)) for i in rng.permutation(125)]
    chars = period * 800
    position = 61_234
    chars.insert(position, "\u263a")  # s[position - 125 : position + 1]: 126 distinct
    s = "".join(chars)

    started = time.perf_counter()
    seen = set()
    for ch in s:  # one plain pass over the characters, to calibrate the budget
        seen.add(ch)
    budget = max(0.5, 10 * (time.perf_counter() - started))

    result, elapsed = ctx.timed(sol.length_of_longest_substring, s)
    what = f"length_of_longest_substring(s) with len(s) = {len(s)}"
    assert_equal(result, 126, what=what)
    assert_true(
        elapsed < budget,
        f"{what} took {elapsed:.2f} s; the budget is {budget:.2f} s. Rescanning from every start "
        "position costs O(n * answer); slide one window and move its left end forward only.",
    )
