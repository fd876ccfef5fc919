import numpy as np

from studyapp.core.drills.sandbox.asserts import assert_close, assert_true
from studyapp.core.drills.sandbox.source_rules import check_source_rules


def _reference(q, k, v, mask=None):
    """Plain-numpy scaled dot-product attention, written independently of the solution."""
    scores = np.einsum("bqd,bkd->bqk", q, k) / np.sqrt(q.shape[-1])
    if mask is not None:
        scores = np.where(np.broadcast_to(mask, scores.shape), scores, -np.inf)
    scores = scores - scores.max(axis=-1, keepdims=True)
    weights = np.exp(scores)
    weights /= weights.sum(axis=-1, keepdims=True)
    return np.einsum("bqk,bkv->bqv", weights, v)


def _inputs(rng, b, t_q, t_k, d_k, d_v):
    """Non-integer, non-saturating inputs: scores stay around +-1, so every bug shows."""
    q = rng.normal(scale=0.5, size=(b, t_q, d_k))
    k = rng.normal(scale=0.5, size=(b, t_k, d_k))
    v = rng.normal(size=(b, t_k, d_v))
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


def test_matches_reference_without_mask(sol, ctx):
    q, k, v = _inputs(ctx.rng(1), b=2, t_q=3, t_k=5, d_k=8, d_v=6)
    assert_close(
        sol.attention(q, k, v),
        _reference(q, k, v),
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="attention(q, k, v) with q (2, 3, 8), k (2, 5, 8), v (2, 5, 6)",
    )


def test_scales_by_sqrt_of_key_dim(sol, ctx):
    # d_k = 16 and d_v = 4: dividing by sqrt(d_v) = 2, or not at all, gives other weights.
    q, k, v = _inputs(ctx.rng(2), b=3, t_q=2, t_k=7, d_k=16, d_v=4)
    assert_close(
        sol.attention(q, k, v),
        _reference(q, k, v),
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="attention(q, k, v) with d_k = 16, d_v = 4 (scores must be divided by sqrt(d_k) = 4)",
    )


def test_softmax_is_over_keys(sol, ctx):
    # With v all ones every output must be exactly 1: the weights of one query sum to 1.
    q, k, _ = _inputs(ctx.rng(3), b=2, t_q=4, t_k=6, d_k=5, d_v=3)
    ones = np.ones((2, 6, 3))
    assert_close(
        sol.attention(q, k, ones),
        np.ones((2, 4, 3)),
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="attention(q, k, v = ones): each query's weights over the 6 keys must sum to 1",
    )
    # A single query attends over all keys; it is not normalised against other queries.
    q1, k1, v1 = _inputs(ctx.rng(4), b=2, t_q=1, t_k=6, d_k=5, d_v=3)
    assert_close(
        sol.attention(q1, k1, v1),
        _reference(q1, k1, v1),
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="attention(q, k, v) with a single query (T_q = 1, T_k = 6)",
    )


def test_padding_mask_per_batch(sol, ctx):
    rng = ctx.rng(5)
    q, k, v = _inputs(rng, b=2, t_q=3, t_k=5, d_k=4, d_v=6)
    valid_keys = np.array([[True, True, True, False, False], [True, True, True, True, False]])
    mask = np.broadcast_to(valid_keys[:, None, :], (2, 3, 5)).copy()  # (B, T_q, T_k)
    out = sol.attention(q, k, v, mask)
    assert_close(
        out,
        _reference(q, k, v, mask),
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="attention(q, k, v, mask), padded keys, mask (2, 3, 5) with True = may attend",
    )
    k2, v2 = k.copy(), v.copy()
    k2[~valid_keys] = rng.normal(size=(3, 4))
    v2[~valid_keys] = 100.0
    assert_close(
        sol.attention(q, k2, v2, mask),
        out,
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="attention(q, k, v, mask) after changing only the masked keys and values",
    )


def test_causal_mask_broadcasts_over_batch(sol, ctx):
    q, k, v = _inputs(ctx.rng(6), b=2, t_q=4, t_k=4, d_k=6, d_v=3)
    causal = np.tril(np.ones((4, 4), dtype=bool))  # (T_q, T_k), the same for every batch
    out = sol.attention(q, k, v, causal)
    assert_close(
        out,
        _reference(q, k, v, causal),
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="attention(q, k, v, mask) with a causal (4, 4) mask broadcast over the batch",
    )
    assert_close(
        np.asarray(out)[:, 0, :],
        v[:, 0, :],
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="attention(...)[:, 0], causal mask (query 0 sees only key 0: must equal v[:, 0])",
    )


def test_rectangular_mask(sol, ctx):
    # T_q = 3, T_k = 6: query i may attend to keys 0 .. i + 3.
    q, k, v = _inputs(ctx.rng(7), b=2, t_q=3, t_k=6, d_k=10, d_v=2)
    mask = np.tril(np.ones((3, 6), dtype=bool), k=3)[None]  # (1, T_q, T_k)
    out = sol.attention(q, k, v, mask)
    assert_close(
        out,
        _reference(q, k, v, mask),
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="attention(q, k, v, mask) with T_q = 3, T_k = 6 and a (1, 3, 6) mask",
    )
    assert_true(
        bool(np.all(np.isfinite(out))),
        "attention(q, k, v, mask) contains nan or inf although every query may attend to a key",
    )


def test_large_scores_need_a_stable_softmax(sol, ctx):
    # Batch 0's scores lie near +1000, batch 1's near -1000; one row also has masked keys.
    q, k, v = _inputs(ctx.rng(8), b=2, t_q=3, t_k=5, d_k=8, d_v=4)
    q, k = _shift_scores(q, k, [1000.0, -1000.0])
    mask = np.ones((2, 3, 5), dtype=bool)
    mask[1, 2, 3:] = False
    out = sol.attention(q, k, v, mask)
    assert_true(
        bool(np.all(np.isfinite(np.asarray(out)))),
        "attention(q, k, v, mask) contains nan or inf with scores near +-1000: "
        "exp(1000) overflows and exp(-1000) underflows to 0; "
        "subtract each row's maximum score before np.exp",
    )
    assert_close(
        out,
        _reference(q, k, v, mask),
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="attention(q, k, v, mask) with scores near +1000 (batch 0) and -1000 (batch 1)",
    )


def test_numpy_only(sol, ctx):
    # Read on the AST of the learner's source (aliases and imports resolved), in the judge.
    check_source_rules(
        ctx,
        rule="use numpy only",
        modules=("scipy", "torch", "sklearn", "jax"),
    )
