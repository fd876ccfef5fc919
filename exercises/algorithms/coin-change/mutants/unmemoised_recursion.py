def coin_change(coins, amount):
    def fewest(rest):  # correct, but recomputes the same sub-amounts exponentially often
        if rest == 0:
            return 0
        result = -1
        for coin in coins:
            if coin <= rest:
                sub = fewest(rest - coin)
                if sub >= 0 and (result < 0 or sub + 1 < result):
                    result = sub + 1
        return result

    return fewest(amount)
