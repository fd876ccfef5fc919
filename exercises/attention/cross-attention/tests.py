import numpy as np

from studyapp.core.drills.sandbox.asserts import assert_close, assert_true


def _loop_reference(x_dec, x_enc, w_q, w_k, w_v, w_o, num_heads):
    """One head at a time: decoder queries against encoder keys and values."""
    d_model = x_dec.shape[-1]
    head_dim = d_model // num_heads
    outputs = []
    for h in range(num_heads):
        cols = slice(h * head_dim, (h + 1) * head_dim)
        q, k, v = x_dec @ w_q[:, cols], x_enc @ w_k[:, cols], x_enc @ w_v[:, cols]
        s = np.einsum("bqd,bkd->bqk", q, k) / np.sqrt(head_dim)
        w = np.exp(s - s.max(axis=-1, keepdims=True))
        w /= w.sum(axis=-1, keepdims=True)
        outputs.append(w @ v)
    return np.concatenate(outputs, axis=-1) @ w_o


def _inputs(rng, batch, t_q, t_k, d_model):
    x_dec = rng.normal(size=(batch, t_q, d_model))
    x_enc = rng.normal(size=(batch, t_k, d_model))
    weights = [rng.normal(size=(d_model, d_model)) / np.sqrt(d_model) for _ in range(4)]
    return x_dec, x_enc, weights


def test_output_shape_follows_the_decoder(sol, ctx):
    x_dec, x_enc, ws = _inputs(ctx.rng(1), batch=2, t_q=3, t_k=7, d_model=8)
    out = sol.cross_attention(x_dec, x_enc, *ws, 2)
    assert_true(
        isinstance(out, np.ndarray), f"the result must be a numpy array, got {type(out).__name__}"
    )
    assert_true(
        out.shape == (2, 3, 8),
        f"cross_attention with T_q = 3 decoder and T_k = 7 encoder tokens returned shape "
        f"{out.shape}, expected (B, T_q, D) = (2, 3, 8)",
    )


def test_matches_reference(sol, ctx):
    x_dec, x_enc, ws = _inputs(ctx.rng(2), batch=3, t_q=4, t_k=6, d_model=12)
    assert_close(
        sol.cross_attention(x_dec, x_enc, *ws, 3),
        _loop_reference(x_dec, x_enc, *ws, 3),
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="cross_attention, x_dec (3, 4, 12), x_enc (3, 6, 12), 3 heads",
    )


def test_more_queries_than_keys(sol, ctx):
    x_dec, x_enc, ws = _inputs(ctx.rng(3), batch=2, t_q=6, t_k=2, d_model=8)
    assert_close(
        sol.cross_attention(x_dec, x_enc, *ws, 4),
        _loop_reference(x_dec, x_enc, *ws, 4),
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="cross_attention, x_dec (2, 6, 8), x_enc (2, 2, 8), 4 heads",
    )


def test_decoder_rows_are_independent(sol, ctx):
    # Keys and values come only from the encoder, so changing decoder token 2 changes output
    # row 2 and nothing else.
    rng = ctx.rng(4)
    x_dec, x_enc, ws = _inputs(rng, batch=2, t_q=5, t_k=4, d_model=8)
    out = np.asarray(sol.cross_attention(x_dec, x_enc, *ws, 2))
    x_dec2 = x_dec.copy()
    x_dec2[:, 2] = rng.normal(scale=3.0, size=(2, 8))
    out2 = np.asarray(sol.cross_attention(x_dec2, x_enc, *ws, 2))
    keep = [0, 1, 3, 4]
    assert_close(
        out2[:, keep],
        out[:, keep],
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="output rows 0, 1, 3, 4 after changing only decoder token 2",
    )


def test_encoder_order_does_not_matter(sol, ctx):
    # No mask and no positions inside attention: shuffling the encoder tokens leaves the output
    # unchanged (every decoder position sees every encoder position).
    x_dec, x_enc, ws = _inputs(ctx.rng(5), batch=2, t_q=4, t_k=5, d_model=6)
    perm = np.array([4, 2, 0, 3, 1])
    assert_close(
        sol.cross_attention(x_dec, x_enc[:, perm], *ws, 3),
        np.asarray(sol.cross_attention(x_dec, x_enc, *ws, 3)),
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="cross_attention(x_dec, x_enc[:, perm]) vs cross_attention(x_dec, x_enc)",
    )


def test_large_scores_need_a_stable_softmax(sol, ctx):
    # Large queries and a large component shared by every encoder token: each query's scores
    # sit hundreds to about 1500 away from 0, with differences of tens between keys.
    rng = ctx.rng(9)
    x_dec, x_enc, ws = _inputs(rng, batch=2, t_q=3, t_k=5, d_model=8)
    x_dec = 20.0 * x_dec
    x_enc = x_enc + 200.0 * rng.normal(size=(2, 1, 8)) / np.sqrt(8)
    out = sol.cross_attention(x_dec, x_enc, *ws, 2)
    assert_true(
        bool(np.all(np.isfinite(np.asarray(out)))),
        "cross_attention(...) contains nan or inf with scores of about +-1000: "
        "exp(1000) overflows and exp(-1000) underflows to 0; "
        "subtract each row's maximum score before np.exp",
    )
    assert_close(
        out,
        _loop_reference(x_dec, x_enc, *ws, 2),
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="cross_attention with scores of about +-1000, x_dec (2, 3, 8), x_enc (2, 5, 8)",
    )
