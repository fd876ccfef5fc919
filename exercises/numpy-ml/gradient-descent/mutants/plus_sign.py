def gradient_descent(x0, lr, steps, a=1.0, c=0.0):
    x = float(x0)
    iterates = [x]
    for _ in range(steps):
        grad = 2.0 * a * (x - c)
        x = x + lr * grad
        iterates.append(x)
    return iterates
