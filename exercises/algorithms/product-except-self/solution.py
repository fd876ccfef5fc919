def product_except_self(nums: list[int]) -> list[int]:
    """Prefix products from the left, then multiply in suffix products from the right: O(n)."""
    n = len(nums)
    answer = [1] * n
    prefix = 1
    for i in range(n):
        answer[i] = prefix  # product of nums[0..i-1]
        prefix *= nums[i]
    suffix = 1
    for i in range(n - 1, -1, -1):
        answer[i] *= suffix  # times the product of nums[i+1..n-1]
        suffix *= nums[i]
    return answer
