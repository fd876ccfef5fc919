import time

import numpy as np

from studyapp.core.drills.sandbox.asserts import assert_equal, assert_true
from studyapp.core.drills.sandbox.source_rules import check_source_rules


def _expected(nums):
    """Independent reference: count the zeros and use exact integer division (tests may divide)."""
    zeros = nums.count(0)
    total = 1
    for value in nums:
        if value != 0:
            total *= value
    if zeros >= 2:
        return [0] * len(nums)
    if zeros == 1:
        return [total if value == 0 else 0 for value in nums]
    return [total // value for value in nums]


def _check(sol, nums, expected=None, what=None, ctx=None):
    """Checks the answer; with ``ctx``, nums is passed as a copy kept in the learner's process,
    so changing it there is seen here (a plain list argument arrives as a fresh copy)."""
    if expected is None:
        expected = _expected(nums)
    what = what or f"product_except_self({nums!r})"[:200]
    kept = ctx.send(list(nums)) if ctx is not None else list(nums)
    result = sol.product_except_self(kept)
    assert_true(result is not None, f"{what} returned None: return the list of products")
    assert_true(
        isinstance(result, list | tuple | np.ndarray),
        f"{what} must return a list of ints, got {type(result).__name__}",
    )
    result = list(result)
    assert_true(
        all(isinstance(v, int | np.integer) and not isinstance(v, bool) for v in result),
        f"{what} must return integers, got {result!r}"[:300],
    )
    if ctx is not None:
        after = kept.value()
        assert_true(
            after == nums,
            f"{what} modified its input: nums is {after!r} after the call"[:300]
            + ". Build a new list and leave nums as it was.",
        )
    assert_equal([int(v) for v in result], expected, what=what)


def test_example(sol, ctx):
    _check(sol, [1, 2, 3, 4], [24, 12, 8, 6])
    _check(sol, [2, 3], [3, 2])
    _check(sol, [5, 1, 4, 2, 3], [24, 120, 30, 60, 40])


def test_one_zero(sol, ctx):
    _check(sol, [-1, 1, 0, -3, 3], [0, 0, 9, 0, 0])
    _check(sol, [0, 4, 5], [20, 0, 0])
    _check(sol, [4, 5, 0], [0, 0, 20])
    _check(sol, [0, 7], [7, 0])


def test_two_zeros(sol, ctx):
    _check(sol, [0, 2, 0, 3], [0, 0, 0, 0])
    _check(sol, [0, 0], [0, 0])
    _check(sol, [1, 0, -2, 0, 5], [0, 0, 0, 0, 0])


def test_negative_numbers(sol, ctx):
    _check(sol, [-1, -2, -3, -4], [-24, -12, -8, -6])
    _check(sol, [-2, 3, -5], [-15, 10, -6])


def test_random_small_inputs(sol, ctx):
    rng = ctx.rng(41)
    for _ in range(40):
        n = int(rng.integers(2, 12))
        nums = rng.integers(-5, 6, size=n).tolist()
        # brute force: multiply all the others
        expected = [int(np.prod([v for j, v in enumerate(nums) if j != i])) for i in range(n)]
        _check(sol, nums, expected)


def test_large_values_are_exact(sol, ctx):
    # Products far beyond 2**63: Python ints are exact, numpy int64 wraps around silently.
    _check(sol, [10**6] * 5, [10**24] * 5)
    nums = [3**40, -(2**50), 7, 10**9 + 7, -5]
    _check(sol, nums)
    rng = ctx.rng(43)
    nums = [int(v) * 10**12 for v in rng.integers(-9, 10, size=12)]
    _check(sol, nums)


def test_does_not_modify_nums(sol, ctx):
    for nums in ([1, 2, 3, 4], [-1, 1, 0, -3, 3], [0, 2, 0, 3], [5, -2, 7]):
        _check(sol, nums, ctx=ctx)


def test_no_division(sol, ctx):
    check_source_rules(
        ctx,
        rule="do not use division (no /, //, divmod or a division function)",
        operators=("/", "//", "divmod"),
    )


def test_large_input_is_fast(sol, ctx):
    # 6 000 numbers: mostly +-1 with a few 2s, 3s and -2s, so the products stay small.
    rng = ctx.rng(42)
    n = 6_000
    nums = rng.choice([1, -1], size=n).tolist()
    for index in rng.choice(n, size=30, replace=False):
        nums[int(index)] = int(rng.choice([2, 3, -2]))
    expected = _expected(nums)

    started = time.perf_counter()
    product = 1
    for value in nums:  # one plain pass over the list, to calibrate the budget
        product *= value
    budget = max(0.5, 10 * (time.perf_counter() - started))

    result, elapsed = ctx.timed(sol.product_except_self, list(nums))
    what = f"product_except_self(nums) with len(nums) = {n}"
    assert_true(
        isinstance(result, list | tuple | np.ndarray),
        f"{what} must return a list of ints, got {type(result).__name__}",
    )
    assert_equal([int(v) for v in result], expected, what=what)
    assert_true(
        elapsed < budget,
        f"{what} took {elapsed:.2f} s; the budget is {budget:.2f} s. Multiplying all other "
        "numbers for every position is O(n^2); use one prefix pass and one suffix pass (O(n)).",
    )
