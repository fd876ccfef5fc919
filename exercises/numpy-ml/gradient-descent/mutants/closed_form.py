def gradient_descent(
    x0: float, lr: float, steps: int, a: float = 1.0, c: float = 0.0
) -> list[float]:
    # The iterates from the closed form x_n = c + (x0 - c) * (1 - 2 a lr)^n, not from steps.
    factor = 1.0 - 2.0 * a * lr
    return [float(c + (x0 - c) * factor**n) for n in range(steps + 1)]
