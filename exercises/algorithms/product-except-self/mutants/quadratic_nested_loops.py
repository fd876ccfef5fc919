def product_except_self(nums):
    n = len(nums)
    answer = []
    for i in range(n):  # correct, but multiplies all other numbers for every i: O(n^2)
        product = 1
        for j in range(n):
            if j != i:
                product *= nums[j]
        answer.append(product)
    return answer
