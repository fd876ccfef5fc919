import time
from collections import Counter

from studyapp.core.drills.sandbox.asserts import assert_equal, assert_true


def _reference(s, t):
    """Brute force: the shortest (then leftmost) substring whose counts cover t's."""
    need = Counter(t)
    for length in range(len(t), len(s) + 1):
        for start in range(len(s) - length + 1):
            window = Counter(s[start : start + length])
            if all(window[ch] >= k for ch, k in need.items()):
                return s[start : start + length]
    return ""


def _check(sol, s, t, expected=None):
    if expected is None:
        expected = _reference(s, t)
    result = sol.min_window(s, t)
    assert_true(
        isinstance(result, str),
        f"min_window({s!r}, {t!r}) must return a str, got {type(result).__name__}",
    )
    assert_equal(result, expected, what=f"min_window({s!r}, {t!r})")


def test_example(sol, ctx):
    _check(sol, "ADOBECODEBANC", "ABC", "BANC")
    _check(sol, "a", "a", "a")


def test_duplicates_in_t_are_counted(sol, ctx):
    _check(sol, "a", "aa", "")
    _check(sol, "baa", "aa", "aa")
    _check(sol, "xaaxa", "aa", "aa")
    _check(sol, "abcab", "aab", "abca")
    _check(sol, "aXbYaZb", "abb", "bYaZb")


def test_no_window_returns_empty_string(sol, ctx):
    _check(sol, "abc", "d", "")
    _check(sol, "a", "ab", "")
    _check(sol, "ab", "A", "")  # case-sensitive
    _check(sol, "xyz", "zzz", "")


def test_leftmost_of_equal_windows(sol, ctx):
    _check(sol, "baab", "ab", "ba")
    _check(sol, "abcXcba", "abc", "abc")


def test_random_small_strings(sol, ctx):
    rng = ctx.rng(11)
    for _ in range(60):
        n = int(rng.integers(1, 16))
        m = int(rng.integers(1, 5))
        s = "".join(rng.choice(list("abc"), size=n))
        t = "".join(rng.choice(list("abc"), size=m))
        _check(sol, s, t)


def _big_case(n, rng):
    """Filler from 'a'..'e', a long valid window early and the unique shortest one late."""
    chars = rng.choice(list("abcde"), size=n).tolist()
    early, late = n // 100, n // 2
    for offset, ch in zip((0, 30, 60, 90), "xyzz", strict=True):
        chars[early + offset] = ch
    for offset, ch in zip((0, 3, 7, 10), "xzyz", strict=True):
        chars[late + offset] = ch
    s = "".join(chars)
    return s, "xyzz", s[late : late + 11]


def test_large_input_is_fast(sol, ctx):
    rng = ctx.rng(12)
    for n in (2_000, 8_000, 32_000, 100_000):
        s, t, expected = _big_case(n, rng)
        started = time.perf_counter()
        counts = {}
        for ch in s:  # one plain counting pass over s, to calibrate the budget
            counts[ch] = counts.get(ch, 0) + 1
        budget = max(0.5, 10 * (time.perf_counter() - started))

        result, elapsed = ctx.timed(sol.min_window, s, t)
        what = f"min_window(s, {t!r}) with len(s) = {n}"
        assert_equal(result, expected, what=what)
        assert_true(
            elapsed < budget,
            f"{what} took {elapsed:.2f} s; the budget is {budget:.2f} s. Rescanning from every "
            "left end is O(n^2); slide one window with character counts instead (O(n)).",
        )
