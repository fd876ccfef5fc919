import numpy as np


def product_except_self(nums):
    values = np.asarray(nums, dtype=np.int64)  # the bug: int64 wraps around past 2**63
    prefix = np.concatenate(([1], np.cumprod(values[:-1])))
    suffix = np.concatenate((np.cumprod(values[::-1][:-1])[::-1], [1]))
    return (prefix * suffix).tolist()
