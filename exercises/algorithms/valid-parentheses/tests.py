import time

from studyapp.core.drills.sandbox.asserts import assert_equal, assert_true

_OPEN = {")": "(", "]": "[", "}": "{"}


def _expected(s):
    """Independent reference: recursive descent (a group is an opener, groups, its closer)."""
    position = 0

    def groups():
        nonlocal position
        while position < len(s) and s[position] in "([{":
            opener = s[position]
            position += 1
            if not groups():
                return False
            if position >= len(s) or _OPEN.get(s[position]) != opener:
                return False
            position += 1
        return True

    return groups() and position == len(s)


def _check(sol, s, expected=None):
    if expected is None:
        expected = _expected(s)
    what = f"is_valid({s!r})" if len(s) <= 60 else f"is_valid(s) with len(s) = {len(s)}"
    result = sol.is_valid(s)
    assert_true(
        isinstance(result, bool),
        f"{what} must return True or False, got {result!r}"[:300],
    )
    assert_equal(result, expected, what=what)


def test_example(sol, ctx):
    _check(sol, "()", True)
    _check(sol, "()[]{}", True)
    _check(sol, "{[()]}", True)
    _check(sol, "(]", False)
    _check(sol, "", True)


def test_wrong_nesting_order(sol, ctx):
    _check(sol, "([)]", False)
    _check(sol, "{(})", False)
    _check(sol, "[({)}]", False)


def test_closing_first(sol, ctx):
    _check(sol, ")", False)
    _check(sol, "](", False)
    _check(sol, ")()", False)
    _check(sol, "()}{", False)


def test_extra_opening(sol, ctx):
    _check(sol, "(", False)
    _check(sol, "(()", False)
    _check(sol, "{[]", False)
    _check(sol, "()[", False)


def test_random_strings(sol, ctx):
    rng = ctx.rng(61)
    for _ in range(150):
        n = 2 * int(rng.integers(0, 6))
        s = "".join(rng.choice(list("()[]{}"), size=n))
        _check(sol, s)
    for _ in range(30):  # valid ones are rare among random strings: build some, then perturb
        s, stack = [], []
        for _ in range(int(rng.integers(1, 10))):
            if stack and rng.random() < 0.5:
                s.append(")]}"["([{".index(stack.pop())])
            else:
                stack.append("([{"[int(rng.integers(0, 3))])
                s.append(stack[-1])
        s.extend(")]}"["([{".index(ch)] for ch in reversed(stack))
        _check(sol, "".join(s), True)
        k = int(rng.integers(0, len(s)))
        s[k] = "([{)]}"[int(rng.integers(0, 6))]
        _check(sol, "".join(s))


def test_large_input_is_fast(sol, ctx):
    # 4 * 10^4 characters nested 2 * 10^4 deep: each delete-the-pairs round removes only one pair.
    rng = ctx.rng(62)
    openers = "".join(rng.choice(list("([{"), size=20_000))
    closers = openers[::-1].translate(str.maketrans("([{", ")]}"))
    s = openers + closers

    started = time.perf_counter()
    depth = 0
    for ch in s:  # one plain pass over the characters, to calibrate the budget
        depth += 1 if ch in "([{" else -1
    budget = max(0.5, 10 * (time.perf_counter() - started))

    result, elapsed = ctx.timed(sol.is_valid, s)
    what = f"is_valid(s) with len(s) = {len(s)}, nested {len(openers)} deep"
    assert_equal(result, True, what=what)
    assert_true(
        elapsed < budget,
        f"{what} took {elapsed:.2f} s; the budget is {budget:.2f} s. Deleting pairs with "
        "str.replace until nothing changes is O(n^2); use a stack of open brackets (O(n)).",
    )
    middle = len(openers)
    swapped = s[: middle - 1] + s[middle] + s[middle - 1] + s[middle + 1 :]
    _check(sol, swapped, False)
