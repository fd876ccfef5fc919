def product_except_self(nums):
    n = len(nums)
    answer = [1] * n
    prefix = 1
    for i in range(n):
        answer[i] = prefix
        prefix *= nums[i]
    suffix = 1
    for i in range(n - 1, 0, -1):  # the bug: stops before index 0, which never gets its suffix
        answer[i] *= suffix
        suffix *= nums[i]
    return answer
