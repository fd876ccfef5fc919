import numpy as np


def gradient_descent(
    x0: float, lr: float, steps: int, a: float = 1.0, c: float = 0.0
) -> list[float]:
    # The closed form again, with the powers of the factor from np.cumprod.
    factors = np.cumprod(np.full(steps, 1.0 - 2.0 * a * lr))
    return [float(x0)] + [float(c + (x0 - c) * f) for f in factors]
