import numpy as np

# Mutant: MacQueen-style online updates: each point moves its centroid immediately, so later
# points in the same pass see centroids that have already moved.


def _assign(X, centroids):
    sq_dist = np.sum((X[:, None, :] - centroids[None, :, :]) ** 2, axis=2)
    return np.argmin(sq_dist, axis=1)


def kmeans(X, init_centroids, max_iter=100):
    centroids = np.array(init_centroids, dtype=np.float64, copy=True)
    for _ in range(max_iter):
        old = centroids.copy()
        counts = np.zeros(len(centroids))
        for x in X:
            j = int(np.argmin(np.sum((centroids - x) ** 2, axis=1)))
            counts[j] += 1
            if counts[j] == 1:
                centroids[j] = x
            else:
                centroids[j] += (x - centroids[j]) / counts[j]
        if np.array_equal(old, centroids):
            break
    return centroids, _assign(X, centroids)
