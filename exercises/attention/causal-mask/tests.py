import numpy as np

from studyapp.core.drills.sandbox.asserts import assert_close, assert_true


def _reference(q, k, v):
    """Causal attention written as an explicit loop over query positions."""
    b, t, d_k = q.shape
    out = np.empty((b, t, v.shape[-1]))
    for i in range(t):
        scores = np.einsum("bd,bjd->bj", q[:, i], k[:, : i + 1]) / np.sqrt(d_k)
        w = np.exp(scores - scores.max(axis=-1, keepdims=True))
        w /= w.sum(axis=-1, keepdims=True)
        out[:, i] = np.einsum("bj,bjd->bd", w, v[:, : i + 1])
    return out


def _inputs(rng, b, t, d_k, d_v):
    q = rng.normal(scale=0.6, size=(b, t, d_k))
    k = rng.normal(scale=0.6, size=(b, t, d_k))
    v = rng.normal(size=(b, t, d_v))
    return q, k, v


def _shift_scores(q, k, offsets):
    """Copies of q and k whose scores in batch b are moved by offsets[b] (e.g. +-1000), their
    spread unchanged: feature 0 of every query and key carries the offset. exp(1000) overflows
    and exp(-1000) underflows in float64, so only a softmax that subtracts each row's maximum
    gets these weights right, and they are the same weights as without the offset."""
    q, k = q.copy(), k.copy()
    for b, offset in enumerate(offsets):
        c = np.sqrt(abs(offset) * np.sqrt(q.shape[-1]))
        q[b, :, 0] = c
        k[b, :, 0] = np.sign(offset) * c
    return q, k


def test_matches_reference(sol, ctx):
    q, k, v = _inputs(ctx.rng(1), b=2, t=6, d_k=8, d_v=5)
    out = sol.causal_attention(q, k, v)
    assert_close(
        out,
        _reference(q, k, v),
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="causal_attention(q, k, v) with q, k (2, 6, 8), v (2, 6, 5)",
    )


def test_position_zero_outputs_v0(sol, ctx):
    q, k, v = _inputs(ctx.rng(2), b=3, t=5, d_k=4, d_v=3)
    out = np.asarray(sol.causal_attention(q, k, v))
    assert_true(
        bool(np.all(np.isfinite(out))),
        "causal_attention(...) contains nan or inf: is the diagonal blocked, leaving row 0 with "
        "no visible key?",
    )
    assert_close(
        out[:, 0],
        v[:, 0],
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="causal_attention(...)[:, 0] (query 0 sees only key 0, so it must equal v[:, 0])",
    )


def test_future_keys_and_values_do_not_leak(sol, ctx):
    rng = ctx.rng(3)
    q, k, v = _inputs(rng, b=2, t=7, d_k=6, d_v=4)
    out = np.asarray(sol.causal_attention(q, k, v))
    for t in (0, 2, 5):
        k2, v2 = k.copy(), v.copy()
        k2[:, t + 1 :] = rng.normal(scale=3.0, size=k2[:, t + 1 :].shape)
        v2[:, t + 1 :] = rng.normal(scale=50.0, size=v2[:, t + 1 :].shape)
        out2 = np.asarray(sol.causal_attention(q, k2, v2))
        assert_close(
            out2[:, : t + 1],
            out[:, : t + 1],
            rtol=ctx.rtol,
            atol=ctx.atol,
            what=f"causal_attention outputs 0..{t} after changing k and v at positions > {t}",
        )


def test_weights_sum_to_one(sol, ctx):
    # With v all ones, every output is the sum of that query's weights: it must be exactly 1.
    q, k, _ = _inputs(ctx.rng(4), b=2, t=5, d_k=4, d_v=3)
    assert_close(
        sol.causal_attention(q, k, np.ones((2, 5, 3))),
        np.ones((2, 5, 3)),
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="causal_attention(q, k, v = ones): each query's visible weights must sum to 1",
    )


def test_diagonal_is_visible(sol, ctx):
    # Values are zero except at one position j: only queries i >= j may see it, and query j
    # itself must (the diagonal is visible).
    q, k, _ = _inputs(ctx.rng(5), b=1, t=5, d_k=4, d_v=1)
    for j in range(5):
        v = np.zeros((1, 5, 1))
        v[0, j, 0] = 1.0
        out = np.asarray(sol.causal_attention(q, k, v))
        expected = _reference(q, k, v)
        assert_close(
            out,
            expected,
            rtol=ctx.rtol,
            atol=ctx.atol,
            what=f"causal_attention with v = one-hot at position {j} (the weights on key {j})",
        )


def test_large_scores_need_a_stable_softmax(sol, ctx):
    # Batch 0's scores lie near +1000, batch 1's near -1000.
    q, k, v = _inputs(ctx.rng(6), b=2, t=5, d_k=6, d_v=3)
    q, k = _shift_scores(q, k, [1000.0, -1000.0])
    out = sol.causal_attention(q, k, v)
    assert_true(
        bool(np.all(np.isfinite(np.asarray(out)))),
        "causal_attention(q, k, v) contains nan or inf with scores near +-1000: "
        "exp(1000) overflows and exp(-1000) underflows to 0; "
        "subtract each row's maximum score before np.exp",
    )
    assert_close(
        out,
        _reference(q, k, v),
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="causal_attention(q, k, v) with scores near +1000 (batch 0) and -1000 (batch 1)",
    )
