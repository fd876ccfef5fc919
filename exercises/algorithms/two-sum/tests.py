import time

import numpy as np

from studyapp.core.drills.sandbox.asserts import assert_true


def _check(result, nums, target, what):
    """Accept any valid answer: two distinct in-range indices whose values add up to target."""
    assert_true(result is not None, f"{what} returned None: return the list [i, j]")
    assert_true(
        isinstance(result, list | tuple) and len(result) == 2,
        f"{what} must return a list of two indices, got {result!r}"[:300],
    )
    i, j = result
    assert_true(
        all(isinstance(v, int | np.integer) and not isinstance(v, bool) for v in (i, j)),
        f"{what} must return integer indices, got {result!r}",
    )
    n = len(nums)
    assert_true(
        0 <= i < n and 0 <= j < n,
        f"{what} returned {result!r}, but indices must lie in 0..{n - 1}: "
        "did you return the values instead of their indices?",
    )
    assert_true(i != j, f"{what} returned {result!r}: the same element may not be used twice")
    assert_true(nums[i] + nums[j] == target, _wrong_pair(result, nums, target, what))


def _wrong_pair(result, nums, target, what):
    """Why [i, j] is not a pair of nums adding up to target, naming the likely cause."""
    i, j = result
    message = (
        f"{what} returned {result!r}, but in nums as given nums[{i}] + nums[{j}] = "
        f"{nums[i]} + {nums[j]} = {nums[i] + nums[j]}, not {target}"
    )
    ordered = sorted(nums)
    if ordered[i] + ordered[j] == target:
        return message + (
            ". These are positions in a sorted copy of nums: return positions in nums as given "
            "(remember each number's original index)."
        )
    if i + j == target and i in nums and j in nums:
        return message + ". Did you return the two values instead of their indices?"
    return message


def _run(sol, ctx, nums, target, what=None):
    """Call two_sum on a copy of nums kept in the learner's process, check that the call left
    it as it was, then check the answer against nums as given."""
    what = what or f"two_sum({nums}, {target})"[:200]
    kept = ctx.send(list(nums))
    result = sol.two_sum(kept, target)
    _check_unchanged(kept, nums, what)
    _check(result, nums, target, what)


def _check_unchanged(kept, nums, what):
    after = kept.value()
    if after == nums:
        return
    if sorted(after) == sorted(nums) and after != nums:
        change = "reordered it (sorted it?)"
    else:
        change = f"changed it to {after!r}"[:200]
    assert_true(
        False,
        f"{what} modified nums: it {change}. The statement says not to modify nums; sort or "
        "change a copy (sorted(nums)) instead.",
    )


def test_example(sol, ctx):
    _run(sol, ctx, [2, 7, 11, 15], 9)


def test_equal_values_at_two_positions(sol, ctx):
    _run(sol, ctx, [3, 3], 6)
    _run(sol, ctx, [5, 1, 8, 5], 10)


def test_does_not_reuse_an_element(sol, ctx):
    _run(sol, ctx, [3, 2, 4], 6)
    _run(sol, ctx, [4, 9, 1, 7], 8)


def test_negative_numbers_and_zero(sol, ctx):
    cases = [
        ([-3, 4, 3, 90], 0),
        ([-1, -2, -3, -4, -5], -8),
        ([0, 4, 3, 0], 0),
        ([7, -10, 2, 25], 15),
    ]
    for nums, target in cases:
        _run(sol, ctx, nums, target)


def test_does_not_modify_nums(sol, ctx):
    for nums, target in (([15, 2, 11, 7], 9), ([4, -1, 3, 0], 3), ([9, 8, 1, 2, 5], 3)):
        _run(sol, ctx, nums, target)


def test_random_unsorted_inputs(sol, ctx):
    rng = ctx.rng(5)
    checked = 0
    while checked < 25:
        n = int(rng.integers(2, 30))
        nums = rng.integers(-50, 51, size=n).tolist()
        i, j = rng.choice(n, size=2, replace=False)
        target = nums[i] + nums[j]
        pairs = {(a, b) for a in range(n) for b in range(a + 1, n) if nums[a] + nums[b] == target}
        if len(pairs) != 1:
            continue  # the statement promises exactly one solution
        _run(sol, ctx, nums, target)
        checked += 1


def test_large_input_is_fast(sol, ctx):
    # 10^5 distinct multiples of 4, plus 1 at index 600 and 4m + 1 at the end: the only pair
    # that sums to 4m + 2. A double loop needs about 6 * 10^7 comparisons to find it.
    n = 100_000
    rng = ctx.rng(6)
    nums = (4 * (rng.permutation(n - 2) - n // 2)).tolist()
    m = 123_457
    nums.insert(600, 1)
    nums.append(4 * m + 1)
    target = 4 * m + 2

    started = time.perf_counter()
    seen = {}
    for index, value in enumerate(nums):  # one plain dictionary pass, to calibrate the budget
        seen.setdefault(value, index)
    budget = max(0.5, 10 * (time.perf_counter() - started))

    kept = ctx.send(nums)  # sent before the clock starts
    result, elapsed = ctx.timed(sol.two_sum, kept, target)
    what = f"two_sum(nums, {target}) with len(nums) = {len(nums)}"
    _check_unchanged(kept, nums, what)
    _check(result, nums, target, what)
    assert_true(
        elapsed < budget,
        f"{what} took {elapsed:.2f} s; the budget is {budget:.2f} s. Checking every pair is "
        "O(n^2); look each complement up in a dict instead (O(n)).",
    )
