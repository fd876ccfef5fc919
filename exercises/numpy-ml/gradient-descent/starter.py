def gradient_descent(
    x0: float, lr: float, steps: int, a: float = 1.0, c: float = 0.0
) -> list[float]:
    """Gradient descent on f(x) = a * (x - c)**2.

    Returns the list [x0, x1, ..., x_steps] (steps + 1 floats), where each step is
    x <- x - lr * f'(x) and f'(x) = 2 * a * (x - c).
    """
    # TODO: loop `steps` times, update x, and collect every iterate (x0 included).
    raise NotImplementedError("gradient_descent is not implemented yet")
