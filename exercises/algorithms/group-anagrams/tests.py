import time
from collections import Counter

import numpy as np

from studyapp.core.judge import assert_equal, assert_true


def _reference(strs):
    """Independent grouping: the key is the multiset of letter counts, not the sorted string."""
    groups = {}
    for s in strs:
        groups.setdefault(tuple(sorted(Counter(s).items())), []).append(s)
    return list(groups.values())


def _canonical(groups):
    """Order-insensitive at both levels: sort each group, then sort the groups."""
    return sorted(sorted(group) for group in groups)


def _check(sol, strs, expected=None, what=None):
    if expected is None:
        expected = _reference(strs)
    what = what or f"group_anagrams({strs!r})"[:200]
    result = sol.group_anagrams(list(strs))
    assert_true(result is not None, f"{what} returned None: return the list of groups")
    assert_true(
        isinstance(result, list | tuple)
        and all(isinstance(group, list | tuple) for group in result),
        f"{what} must return a list of lists of strings, got {result!r}"[:300],
    )
    assert_true(
        all(isinstance(s, str) for group in result for s in group),
        f"{what}: every group must contain the strings themselves, got {result!r}"[:300],
    )
    assert_true(
        all(len(group) > 0 for group in result),
        f"{what} returned an empty group: {result!r}"[:300],
    )
    assert_equal(
        _canonical(result),
        _canonical(expected),
        what=f"{what} (groups and their members sorted for comparison)",
    )


def test_example(sol, ctx):
    _check(
        sol,
        ["eat", "tea", "tan", "ate", "nat", "bat"],
        [["eat", "tea", "ate"], ["tan", "nat"], ["bat"]],
    )
    _check(sol, ["a"], [["a"]])
    _check(sol, [], [])


def test_empty_strings(sol, ctx):
    _check(sol, [""], [[""]])
    _check(sol, ["", "b", ""], [["", ""], ["b"]])
    _check(sol, ["ab", "", "ba"], [["ab", "ba"], [""]])


def test_letter_counts_matter(sol, ctx):
    _check(sol, ["aab", "abb", "aba"], [["aab", "aba"], ["abb"]])
    _check(sol, ["a", "aa", "aaa", "aa"], [["a"], ["aa", "aa"], ["aaa"]])
    _check(sol, ["abc", "aabbcc", "cba"], [["abc", "cba"], ["aabbcc"]])


def test_different_letters_same_code_sum(sol, ctx):
    # ord("a") + ord("d") == ord("b") + ord("c"): a sum of codes is not a valid key
    _check(sol, ["ad", "bc", "da", "cb"], [["ad", "da"], ["bc", "cb"]])
    _check(sol, ["ac", "bb"], [["ac"], ["bb"]])


def test_duplicates_are_kept(sol, ctx):
    _check(sol, ["ab", "ba", "ab"], [["ab", "ba", "ab"]])
    _check(sol, ["x", "x", "x"], [["x", "x", "x"]])


def test_random_small_inputs(sol, ctx):
    rng = ctx.rng(21)
    for _ in range(40):
        n = int(rng.integers(1, 15))
        strs = ["".join(rng.choice(list("abc"), size=int(rng.integers(0, 4)))) for _ in range(n)]
        _check(sol, strs)


def test_large_input_is_fast(sol, ctx):
    rng = ctx.rng(22)
    codes = rng.integers(97, 123, size=(16_000, 10)).astype(np.uint8)
    lengths = rng.integers(6, 11, size=16_000)
    base = [row[:length].tobytes().decode() for row, length in zip(codes, lengths, strict=True)]
    extra = ["".join(rng.permutation(list(base[int(i)]))) for i in rng.integers(0, 16_000, 4_000)]
    strs = base + extra
    order = rng.permutation(len(strs))
    strs = [strs[int(i)] for i in order]

    started = time.perf_counter()
    for s in strs:  # one plain pass sorting every string's letters, to calibrate the budget
        sorted(s)
    budget = max(0.5, 10 * (time.perf_counter() - started))

    expected = _reference(strs)
    result, elapsed = ctx.timed(sol.group_anagrams, list(strs))
    what = f"group_anagrams(strs) with len(strs) = {len(strs)}"
    assert_true(
        isinstance(result, list | tuple),
        f"{what} must return a list of groups, got {type(result).__name__}",
    )
    assert_equal(
        _canonical(result),
        _canonical(expected),
        what=f"{what} (groups and their members sorted for comparison)",
    )
    assert_true(
        elapsed < budget,
        f"{what} took {elapsed:.2f} s; the budget is {budget:.2f} s. Searching the groups found "
        "so far for each string is O(n^2); use a dict from a key (the sorted letters) to its "
        "group instead.",
    )
