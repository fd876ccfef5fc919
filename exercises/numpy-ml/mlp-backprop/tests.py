import numpy as np

from studyapp.core.drills.sandbox.asserts import assert_close, assert_true

NAMES = ("W1", "b1", "W2", "b2")


def _loss(X, y, W1, b1, W2, b2):
    """Mean cross-entropy of the MLP, via log-sum-exp (written independently of the solution)."""
    hidden = np.maximum(X @ W1 + b1, 0.0)
    logits = hidden @ W2 + b2
    m = logits.max(axis=1)
    lse = m + np.log(np.exp(logits - m[:, None]).sum(axis=1))
    return float(np.mean(lse - logits[np.arange(len(y)), y]))


def _analytic(X, y, W1, b1, W2, b2):
    """Reference backprop with relu'(0) = 0, one-hot form."""
    n, c = X.shape[0], W2.shape[1]
    z1 = X @ W1 + b1
    h = np.where(z1 > 0, z1, 0.0)
    logits = h @ W2 + b2
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    probs = e / e.sum(axis=1, keepdims=True)
    onehot = np.eye(c)[y]
    g_logits = (probs - onehot) / n
    g_h = g_logits @ W2.T
    g_z1 = np.where(z1 > 0, g_h, 0.0)
    return {
        "W1": np.einsum("nd,nh->dh", X, g_z1),
        "b1": np.einsum("nh->h", g_z1),
        "W2": np.einsum("nh,nc->hc", h, g_logits),
        "b2": np.einsum("nc->c", g_logits),
    }


def _kept(ctx, **arrays):
    """Each input kept in the learner's process (a handle) with a copy here: a plain call copies
    the data both ways and hides an in-place change; a handle shows it."""
    return {name: (ctx.send(a), a.copy()) for name, a in arrays.items()}


def _assert_unchanged(kept, call):
    for name, (handle, before) in kept.items():
        after = np.asarray(handle.value())
        assert_true(
            after.shape == before.shape and np.array_equal(after, before, equal_nan=True),
            f"{call} changed its input {name} in place; the statement says not to modify the "
            f"inputs: work on a copy ({name}.copy()) or build new arrays",
        )


def _params(rng, n, d, h, c):
    X = rng.normal(size=(n, d))
    y = rng.integers(0, c, size=n)
    W1 = rng.normal(size=(d, h)) / np.sqrt(d)
    b1 = rng.normal(scale=0.3, size=h)
    W2 = rng.normal(size=(h, c)) / np.sqrt(h)
    b2 = rng.normal(scale=0.3, size=c)
    return X, y, W1, b1, W2, b2


def _call(sol, args, label):
    result = sol.mlp_loss_and_grads(*[a.copy() for a in args])
    assert_true(
        isinstance(result, tuple | list) and len(result) == 2 and isinstance(result[1], dict),
        f"mlp_loss_and_grads({label}) must return (loss, grads_dict), got {type(result).__name__}",
    )
    loss, grads = result
    missing = [k for k in NAMES if k not in grads]
    assert_true(not missing, f"grads is missing the keys {missing} ({label})")
    return float(loss), grads


def test_shapes_dtypes_and_loss(sol, ctx):
    args = _params(ctx.rng(1), n=8, d=5, h=6, c=3)
    loss, grads = _call(sol, args, "N=8, D=5, H=6, C=3")
    assert_close(loss, _loss(*args), rtol=ctx.rtol, atol=ctx.atol, what="loss (N=8)")
    expected = _analytic(*args)
    for k in NAMES:
        assert_close(
            grads[k], expected[k], rtol=ctx.rtol, atol=ctx.atol, what=f"grads[{k!r}] (N=8)"
        )


def test_gradients_match_finite_differences(sol, ctx):
    # Central differences in float64 on every parameter entry; no pre-activation is near 0.
    args = list(_params(ctx.rng(2), n=6, d=4, h=5, c=3))
    z1 = args[0] @ args[2] + args[3]
    assert_true(np.abs(z1).min() > 1e-3, "test setup: a pre-activation is too close to the kink")
    _, grads = _call(sol, args, "N=6, D=4, H=5, C=3")
    eps = 1e-6
    for index, name in zip((2, 3, 4, 5), NAMES, strict=True):
        param = args[index]
        numeric = np.zeros_like(param)
        for pos in np.ndindex(param.shape):
            old = param[pos]
            param[pos] = old + eps
            plus = _loss(*args)
            param[pos] = old - eps
            minus = _loss(*args)
            param[pos] = old
            numeric[pos] = (plus - minus) / (2 * eps)
        assert_close(
            grads[name],
            numeric,
            rtol=1e-6,
            atol=1e-8,
            what=f"grads[{name!r}] vs central finite differences (eps = 1e-6)",
        )


def test_larger_batch_gradients_averaged(sol, ctx):
    # The loss is a MEAN over 64 samples, so every gradient carries a factor 1/N.
    args = _params(ctx.rng(3), n=64, d=7, h=9, c=5)
    loss, grads = _call(sol, args, "N=64, D=7, H=9, C=5")
    assert_close(loss, _loss(*args), rtol=ctx.rtol, atol=ctx.atol, what="loss (N=64)")
    expected = _analytic(*args)
    for k in NAMES:
        assert_close(
            grads[k], expected[k], rtol=ctx.rtol, atol=ctx.atol, what=f"grads[{k!r}] (N=64)"
        )


def test_relu_derivative_at_zero_is_zero(sol, ctx):
    # Hidden unit 0 has W1[:, 0] = 0 and b1[0] = 0, so z1[:, 0] == 0 exactly for every sample.
    X, y, W1, b1, W2, b2 = _params(ctx.rng(4), n=10, d=4, h=6, c=3)
    W1[:, 0] = 0.0
    b1[0] = 0.0
    args = (X, y, W1, b1, W2, b2)
    _, grads = _call(sol, args, "z1[:, 0] == 0")
    expected = _analytic(*args)
    for k in NAMES:
        assert_close(
            grads[k],
            expected[k],
            rtol=ctx.rtol,
            atol=ctx.atol,
            what=f"grads[{k!r}] when hidden unit 0 has pre-activation exactly 0 (relu'(0) = 0)",
        )


def test_single_sample_and_inputs_unchanged(sol, ctx):
    args = _params(ctx.rng(5), n=1, d=3, h=4, c=2)
    kept = _kept(ctx, **dict(zip(("X", "y", "W1", "b1", "W2", "b2"), args, strict=True)))
    result = sol.mlp_loss_and_grads(*[handle for handle, _ in kept.values()])
    _assert_unchanged(kept, "mlp_loss_and_grads(X (1, 3), y, W1, b1, W2, b2)")
    expected = _analytic(*args)
    for k in NAMES:
        assert_close(
            result[1][k], expected[k], rtol=ctx.rtol, atol=ctx.atol, what=f"grads[{k!r}] (N=1)"
        )


def test_large_logits_are_stable(sol, ctx):
    # Logits of several hundred to a few thousand: np.exp overflows unless each row's maximum
    # is subtracted first.
    X, y, W1, b1, W2, b2 = _params(ctx.rng(6), n=6, d=3, h=5, c=4)
    W2 = W2 * 800.0
    logits = np.maximum(X @ W1 + b1, 0.0) @ W2 + b2
    label = f"mlp_loss_and_grads with logits up to {np.abs(logits).max():.0f} in size"
    loss, grads = _call(sol, (X, y, W1, b1, W2, b2), label)
    assert_true(np.isfinite(loss), f"{label}: the loss is {loss}; subtract each row's maximum")
    assert_close(loss, _loss(X, y, W1, b1, W2, b2), rtol=ctx.rtol, atol=ctx.atol, what=label)
    expected = _analytic(X, y, W1, b1, W2, b2)
    for k in NAMES:
        assert_close(
            grads[k], expected[k], rtol=ctx.rtol, atol=ctx.atol, what=f"grads[{k!r}] ({label})"
        )
