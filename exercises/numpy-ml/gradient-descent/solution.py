def gradient_descent(
    x0: float, lr: float, steps: int, a: float = 1.0, c: float = 0.0
) -> list[float]:
    """Gradient descent on f(x) = a * (x - c)**2; returns [x0, x1, ..., x_steps]."""
    x = float(x0)
    iterates = [x]
    for _ in range(steps):
        grad = 2.0 * a * (x - c)
        x = x - lr * grad
        iterates.append(x)
    return iterates
