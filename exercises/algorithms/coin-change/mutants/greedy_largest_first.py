def coin_change(coins, amount):
    count = 0
    for coin in sorted(coins, reverse=True):  # the bug: greedy is not optimal ([1, 3, 4], 6)
        count += amount // coin
        amount %= coin
    return count if amount == 0 else -1
