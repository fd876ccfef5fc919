def rob(nums):
    # the bug: only tries "every even house" and "every odd house"; never skips two in a row
    return max(sum(nums[0::2]), sum(nums[1::2]))
