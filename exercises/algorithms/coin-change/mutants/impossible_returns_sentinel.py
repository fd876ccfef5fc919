def coin_change(coins, amount):
    best = [0] + [amount + 1] * amount
    for a in range(1, amount + 1):
        for coin in coins:
            if coin <= a:
                best[a] = min(best[a], best[a - coin] + 1)
    return best[amount]  # the bug: returns the sentinel amount + 1 instead of -1
