import time
from collections import deque

import numpy as np

from studyapp.core.drills.sandbox.asserts import assert_equal, assert_true


def _reference(coins, amount):
    """Breadth-first search over sums 0..amount: the first time amount is reached is optimal."""
    depth = {0: 0}
    queue = deque([0])
    while queue:
        total = queue.popleft()
        if total == amount:
            return depth[total]
        for coin in coins:
            nxt = total + coin
            if nxt <= amount and nxt not in depth:
                depth[nxt] = depth[total] + 1
                queue.append(nxt)
    return -1


def _check(sol, coins, amount, expected=None):
    if expected is None:
        expected = _reference(coins, amount)
    what = f"coin_change({coins}, {amount})"
    try:
        result = sol.coin_change(list(coins), amount)
    except RecursionError:
        assert_true(
            False,
            f"{what} raised RecursionError: recursion as deep as the amount exceeds Python's "
            "limit (about 1000). Fill a table best[0..amount] bottom-up instead.",
        )
    assert_true(
        isinstance(result, int | np.integer) and not isinstance(result, bool),
        f"{what} must return an int, got {type(result).__name__} {result!r}",
    )
    assert_equal(result, expected, what=what)


def test_example(sol, ctx):
    _check(sol, [1, 2, 5], 11, 3)
    _check(sol, [1], 1, 1)
    _check(sol, [1], 2, 2)


def test_amount_zero_needs_no_coins(sol, ctx):
    _check(sol, [7], 0, 0)
    _check(sol, [1, 2, 5], 0, 0)


def test_impossible_returns_minus_one(sol, ctx):
    _check(sol, [2], 3, -1)
    _check(sol, [5, 10], 3, -1)
    _check(sol, [3, 7], 11, -1)
    _check(sol, [4, 2], 7, -1)


def test_greedy_is_not_optimal(sol, ctx):
    _check(sol, [1, 3, 4], 6, 2)
    _check(sol, [4, 1, 3], 6, 2)  # unsorted
    _check(sol, [1, 5, 6, 9], 11, 2)  # 5 + 6, not 9 + 1 + 1
    _check(sol, [2, 5], 6, 3)  # 2 + 2 + 2; taking 5 first leaves 1


def test_random_small_cases(sol, ctx):
    rng = ctx.rng(61)
    for _ in range(60):
        k = int(rng.integers(1, 5))
        coins = sorted(set(rng.integers(1, 15, size=k).tolist()), key=lambda _: rng.random())
        _check(sol, coins, int(rng.integers(0, 21)))


def test_large_amounts_are_fast(sol, ctx):
    cases = [([5, 2, 1], amount) for amount in range(10, 60, 2)]
    cases += [([186, 419, 83, 408], 6249), ([186, 419, 83, 408], 10_000), ([3, 7], 10_000)]
    for coins, amount in cases:
        expected = _reference(coins, amount)
        started = time.perf_counter()
        table = []
        for a in range(amount + 1):  # one plain loop over the amounts, to calibrate the budget
            table.append(a)
        budget = max(0.5, 10 * (time.perf_counter() - started))

        _, elapsed = ctx.timed(_check, sol, coins, amount, expected)
        assert_true(
            elapsed < budget,
            f"coin_change({coins}, {amount}) took {elapsed:.2f} s; the budget is {budget:.2f} s. "
            "Recursion without memory recomputes the same sub-amounts exponentially often; build "
            "best[0..amount] once, bottom-up.",
        )
