def coin_change(coins: list[int], amount: int) -> int:
    """Bottom-up DP over amounts 0..amount: O(amount * len(coins)) time, no recursion."""
    unreachable = amount + 1  # more coins than any real answer can use
    best = [0] + [unreachable] * amount
    for a in range(1, amount + 1):
        for coin in coins:
            if coin <= a and best[a - coin] + 1 < best[a]:
                best[a] = best[a - coin] + 1
    return best[amount] if best[amount] != unreachable else -1
