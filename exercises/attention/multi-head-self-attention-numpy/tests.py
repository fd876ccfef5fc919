import numpy as np

from studyapp.core.drills.sandbox.asserts import assert_close, assert_true
from studyapp.core.drills.sandbox.source_rules import check_source_rules


def _loop_reference(x, w_qkv, w_o, num_heads):
    """One head at a time, with its own column slices of the Q, K and V blocks."""
    d_model = x.shape[-1]
    head_dim = d_model // num_heads
    outputs = []
    for h in range(num_heads):
        cols = np.arange(h * head_dim, (h + 1) * head_dim)
        q = x @ w_qkv[:, cols]
        k = x @ w_qkv[:, d_model + cols]
        v = x @ w_qkv[:, 2 * d_model + cols]
        s = np.einsum("btd,bsd->bts", q, k) / np.sqrt(head_dim)
        w = np.exp(s - s.max(axis=-1, keepdims=True))
        w /= w.sum(axis=-1, keepdims=True)
        outputs.append(w @ v)
    return np.concatenate(outputs, axis=-1) @ w_o


def _inputs(rng, batch, seq_len, d_model):
    x = rng.normal(size=(batch, seq_len, d_model))
    w_qkv = rng.normal(size=(d_model, 3 * d_model)) / np.sqrt(d_model)
    w_o = rng.normal(size=(d_model, d_model)) / np.sqrt(d_model)
    return x, w_qkv, w_o


def test_output_shape_and_dtype(sol, ctx):
    x, w_qkv, w_o = _inputs(ctx.rng(1), batch=2, seq_len=5, d_model=12)
    out = sol.multi_head_self_attention(x, w_qkv, w_o, 3)
    assert_true(
        isinstance(out, np.ndarray), f"the result must be a numpy array, got {type(out).__name__}"
    )
    assert_true(out.shape == (2, 5, 12), f"the result has shape {out.shape}, expected (2, 5, 12)")
    assert_true(out.dtype == np.float64, f"the result has dtype {out.dtype}, expected float64")


def test_matches_per_head_loop(sol, ctx):
    x, w_qkv, w_o = _inputs(ctx.rng(2), batch=3, seq_len=6, d_model=16)
    assert_close(
        sol.multi_head_self_attention(x, w_qkv, w_o, 4),
        _loop_reference(x, w_qkv, w_o, 4),
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="multi_head_self_attention(x, ..., num_heads=4), x (3, 6, 16), vs a per-head loop",
    )


def test_scale_uses_head_dim(sol, ctx):
    # D = 36, H = 9: sqrt(head_dim) = 2 while sqrt(D) = 6.
    x, w_qkv, w_o = _inputs(ctx.rng(3), batch=2, seq_len=4, d_model=36)
    assert_close(
        sol.multi_head_self_attention(x, w_qkv, w_o, 9),
        _loop_reference(x, w_qkv, w_o, 9),
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="multi_head_self_attention(x, ..., num_heads=9), D = 36: scores / sqrt(head_dim = 4)",
    )


def test_output_projection_is_applied(sol, ctx):
    # Replacing w_o by 2 * w_o must double the output.
    x, w_qkv, w_o = _inputs(ctx.rng(4), batch=1, seq_len=3, d_model=8)
    out = np.asarray(sol.multi_head_self_attention(x, w_qkv, w_o, 2))
    out2 = np.asarray(sol.multi_head_self_attention(x, w_qkv, 2.0 * w_o, 2))
    assert_close(
        out2,
        2.0 * out,
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="multi_head_self_attention with w_o doubled (must be 2x the output)",
    )


def test_permuting_tokens_permutes_output(sol, ctx):
    x, w_qkv, w_o = _inputs(ctx.rng(5), batch=2, seq_len=5, d_model=12)
    perm = np.array([3, 0, 4, 1, 2])
    out = np.asarray(sol.multi_head_self_attention(x, w_qkv, w_o, 3))
    out_perm = np.asarray(sol.multi_head_self_attention(x[:, perm], w_qkv, w_o, 3))
    assert_close(
        out_perm,
        out[:, perm],
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="multi_head_self_attention(x[:, perm]) vs multi_head_self_attention(x)[:, perm]",
    )


def test_large_scores_need_a_stable_softmax(sol, ctx):
    # A large component shared by every token puts scores between about -200 and +1700.
    rng = ctx.rng(6)
    x, w_qkv, w_o = _inputs(rng, batch=2, seq_len=4, d_model=12)
    x = x + 30.0 * rng.normal(size=(2, 1, 12))
    out = sol.multi_head_self_attention(x, w_qkv, w_o, 3)
    assert_true(
        bool(np.all(np.isfinite(np.asarray(out)))),
        "multi_head_self_attention(...) contains nan or inf with scores of about +-1000: "
        "exp(1000) overflows and exp(-1000) underflows to 0; "
        "subtract each row's maximum score before np.exp",
    )
    assert_close(
        out,
        _loop_reference(x, w_qkv, w_o, 3),
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="multi_head_self_attention(x, ..., num_heads=3) with scores up to about 1700",
    )


def test_numpy_only(sol, ctx):
    # Read on the AST of the learner's source (aliases and imports resolved), in the judge.
    check_source_rules(
        ctx,
        rule="numpy only",
        modules=("scipy", "torch", "sklearn", "jax"),
    )
