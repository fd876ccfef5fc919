import math

import torch

from studyapp.core.drills.sandbox.asserts import assert_close, assert_true


def _dtype(ctx):
    return torch.float32 if ctx.device == "mps" else torch.float64


def _tol(ctx):
    """(rtol, atol) for this run: float64 keeps the CPU tolerances (rtol, atol of
    exercise.toml) on every device, because TF32 changes only float32 matmuls and convolutions;
    so a solution that computes in float32 fails on a GPU as on the CPU. Only MPS, which has no
    float64 and runs the tests in float32, uses the exercise's GPU tolerances."""
    if _dtype(ctx) == torch.float64:
        return 1e-9, 1e-10
    return ctx.rtol, ctx.atol


def _inputs(ctx, offset, batch, seq_len, d_model, n_heads, n_kv_heads):
    rng = ctx.rng(offset)
    kv_dim = n_kv_heads * (d_model // n_heads)

    def tensor(array):
        return torch.tensor(array, dtype=_dtype(ctx), device=ctx.device)

    x = tensor(rng.normal(size=(batch, seq_len, d_model)))
    scale = 1.0 / math.sqrt(d_model)
    w_q = tensor(rng.normal(size=(d_model, d_model)) * scale)
    w_k = tensor(rng.normal(size=(d_model, kv_dim)) * scale)
    w_v = tensor(rng.normal(size=(d_model, kv_dim)) * scale)
    w_o = tensor(rng.normal(size=(d_model, d_model)) * scale)
    return x, (w_q, w_k, w_v, w_o)


def _loop_reference(x, w_q, w_k, w_v, w_o, n_heads, n_kv_heads):
    """One query head at a time; head h reads KV head h // group."""
    head_dim = x.shape[-1] // n_heads
    group = n_heads // n_kv_heads
    outputs = []
    for h in range(n_heads):
        j = h // group
        q = x @ w_q[:, h * head_dim : (h + 1) * head_dim]
        k = x @ w_k[:, j * head_dim : (j + 1) * head_dim]
        v = x @ w_v[:, j * head_dim : (j + 1) * head_dim]
        w = torch.softmax(q @ k.transpose(-2, -1) / math.sqrt(head_dim), dim=-1)
        outputs.append(w @ v)
    return torch.cat(outputs, dim=-1) @ w_o


def _call(sol, x, ws, n_heads, n_kv_heads):
    with torch.no_grad():
        return sol.grouped_query_attention(x, *ws, n_heads, n_kv_heads)


def test_shape_dtype_and_device(sol, ctx):
    x, ws = _inputs(ctx, 1, batch=2, seq_len=5, d_model=16, n_heads=4, n_kv_heads=2)
    out = _call(sol, x, ws, 4, 2)
    assert_true(isinstance(out, torch.Tensor), f"expected a torch.Tensor, got {type(out)}")
    assert_true(
        out.shape == (2, 5, 16), f"the result has shape {tuple(out.shape)}, expected (2, 5, 16)"
    )
    assert_true(out.dtype == x.dtype, f"the result has dtype {out.dtype}, expected {x.dtype}")
    assert_true(
        out.device.type == x.device.type,
        f"the result is on {out.device}, expected {x.device} (create no tensors on a fixed device)",
    )


def test_groups_use_repeat_interleave(sol, ctx):
    # 8 query heads, 2 KV heads: heads 0-3 share KV head 0 and heads 4-7 share KV head 1.
    x, ws = _inputs(ctx, 2, batch=2, seq_len=6, d_model=16, n_heads=8, n_kv_heads=2)
    assert_close(
        _call(sol, x, ws, 8, 2),
        _loop_reference(x, *ws, 8, 2),
        rtol=_tol(ctx)[0],
        atol=_tol(ctx)[1],
        what="grouped_query_attention(n_heads=8, n_kv_heads=2), x (2, 6, 16), vs a per-head loop",
    )


def test_three_groups(sol, ctx):
    # 6 query heads, 3 KV heads, D = 24 (Dh = 4, so sqrt(Dh) = 2 and sqrt(D) = 4.9).
    x, ws = _inputs(ctx, 3, batch=3, seq_len=4, d_model=24, n_heads=6, n_kv_heads=3)
    assert_close(
        _call(sol, x, ws, 6, 3),
        _loop_reference(x, *ws, 6, 3),
        rtol=_tol(ctx)[0],
        atol=_tol(ctx)[1],
        what="grouped_query_attention(n_heads=6, n_kv_heads=3), x (3, 4, 24), vs a per-head loop",
    )


def test_multi_query_attention(sol, ctx):
    x, ws = _inputs(ctx, 4, batch=2, seq_len=5, d_model=12, n_heads=3, n_kv_heads=1)
    assert_close(
        _call(sol, x, ws, 3, 1),
        _loop_reference(x, *ws, 3, 1),
        rtol=_tol(ctx)[0],
        atol=_tol(ctx)[1],
        what="grouped_query_attention(n_heads=3, n_kv_heads=1) (multi-query attention)",
    )


def test_equals_mha_when_kv_heads_equal_heads(sol, ctx):
    x, (w_q, w_k, w_v, w_o) = _inputs(
        ctx, 5, batch=2, seq_len=5, d_model=16, n_heads=4, n_kv_heads=4
    )
    mha = torch.nn.MultiheadAttention(
        16, 4, bias=False, batch_first=True, device=x.device, dtype=x.dtype
    )
    with torch.no_grad():
        mha.in_proj_weight.copy_(torch.cat([w_q.T, w_k.T, w_v.T], dim=0))
        mha.out_proj.weight.copy_(w_o.T)
        mha.eval()
        expected, _ = mha(x, x, x, need_weights=False)
    assert_close(
        _call(sol, x, (w_q, w_k, w_v, w_o), 4, 4),
        expected,
        rtol=_tol(ctx)[0],
        atol=_tol(ctx)[1],
        what="grouped_query_attention(n_heads=4, n_kv_heads=4) vs nn.MultiheadAttention",
    )
