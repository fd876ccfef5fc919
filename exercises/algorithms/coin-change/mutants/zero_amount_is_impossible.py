def coin_change(coins, amount):
    best = [float("inf")] * (amount + 1)  # the bug: best[0] is never set to 0
    for a in range(1, amount + 1):
        for coin in coins:
            if coin == a:
                best[a] = 1
            elif coin < a and best[a - coin] + 1 < best[a]:
                best[a] = best[a - coin] + 1
    return int(best[amount]) if best[amount] != float("inf") else -1
