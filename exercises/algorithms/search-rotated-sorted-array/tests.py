import time

import numpy as np

from studyapp.core.drills.sandbox.asserts import assert_equal, assert_true


def _expected(nums, target):
    return nums.index(target) if target in nums else -1


def _check_unchanged(kept, original, what, name):
    """The argument was passed as a copy kept in the learner's process (a plain list argument
    arrives as a fresh copy, so a change to it would never show): compare it after the call."""
    after = kept.value()
    if after != original:
        change = "reordered (sorted?)" if sorted(after) == sorted(original) else "changed"
        assert_true(
            False,
            f"{what} modified {name}: it is {change} after the call, {after!r}"[:300]
            + f". The statement says not to modify {name}; work on a copy.",
        )


def _check(sol, ctx, nums, target, what=None):
    what = what or f"search({nums!r}, {target})"[:200]
    given = ctx.send(list(nums))
    result = sol.search(given, target)
    _check_unchanged(given, nums, what, "nums")
    assert_true(
        isinstance(result, int | np.integer) and not isinstance(result, bool),
        f"{what} must return an int index (or -1), got {result!r}"[:300],
    )
    assert_equal(result, _expected(nums, target), what=what)


def _check_every_target(sol, ctx, nums):
    """Every present value, plus values below, between and above them."""
    for target in sorted(nums):
        _check(sol, ctx, nums, target)
    for target in (min(nums) - 1, max(nums) + 1, *(v + 1 for v in nums if v + 1 not in nums)):
        _check(sol, ctx, nums, target)


def _rotate(values, r):
    return values[r:] + values[:r]


def test_example(sol, ctx):
    _check(sol, ctx, [4, 5, 6, 7, 0, 1, 2], 0)
    _check(sol, ctx, [4, 5, 6, 7, 0, 1, 2], 3)
    _check(sol, ctx, [4, 5, 6, 7, 0, 1, 2], 6)


def test_no_rotation(sol, ctx):
    _check_every_target(sol, ctx, [1, 3, 5, 7, 9])
    _check_every_target(sol, ctx, [-4, 0, 8, 20, 21, 30])


def test_rotation_at_last_index(sol, ctx):
    _check_every_target(sol, ctx, [2, 3, 4, 5, 1])
    _check_every_target(sol, ctx, [10, 20, 30, 40, 50, 60, -5])


def test_length_one_and_two(sol, ctx):
    _check(sol, ctx, [1], 1)
    _check(sol, ctx, [1], 0)
    _check(sol, ctx, [1], 2)
    for nums in ([1, 3], [3, 1]):
        _check_every_target(sol, ctx, nums)


def test_target_at_both_ends(sol, ctx):
    values = list(range(0, 40, 3))
    for r in range(len(values)):
        nums = _rotate(values, r)
        _check(sol, ctx, nums, nums[0])
        _check(sol, ctx, nums, nums[-1])


def test_every_rotation_small(sol, ctx):
    for n in range(1, 9):
        values = list(range(-n, 3 * n - n, 2))[:n]
        for r in range(n):
            _check_every_target(sol, ctx, _rotate(values, r))


def test_large_input_is_fast(sol, ctx):
    rng = ctx.rng(82)
    n = 100_000
    values = sorted(rng.choice(10**7, size=n, replace=False).tolist())
    r = int(rng.integers(1, n))
    nums = _rotate(values, r)
    positions = rng.integers(0, n, size=750).tolist()
    targets = [nums[p] for p in positions] + [-1, 10**7] + [v + 1 for v in values[:248]]
    expected = {v: i for i, v in enumerate(nums)}

    started = time.perf_counter()
    for _ in range(2):  # two plain passes over the list, to calibrate the budget
        top = nums[0]
        for value in nums:
            top = value if value > top else top
    budget = max(0.5, 10 * (time.perf_counter() - started))

    kept = ctx.send(nums)  # one copy in the learner's process; the calls pass its handle
    search = sol.search
    results, elapsed = ctx.timed(lambda: [search(kept, t) for t in targets])
    what = f"{len(targets)} calls of search(nums, target) with len(nums) = {n}"
    for t, result in zip(targets, results, strict=True):
        assert_equal(result, expected.get(t, -1), what=f"search(nums, {t}) with len(nums) = {n}")
    assert_true(
        elapsed < budget,
        f"{what} took {elapsed:.2f} s; the budget is {budget:.2f} s. Scanning the list is O(n) "
        "per search; binary search needs only about 17 steps for 10^5 numbers.",
    )
