def two_sum(nums: list[int], target: int) -> list[int]:
    """One pass: remember where each value was seen and look up its complement."""
    seen: dict[int, int] = {}
    for j, value in enumerate(nums):
        i = seen.get(target - value)
        if i is not None:
            return [i, j]
        seen[value] = j
    raise ValueError("no two numbers add up to target")
