import math

import torch

from studyapp.core.drills.sandbox.asserts import assert_close, assert_true
from studyapp.core.drills.sandbox.source_rules import check_source_rules


def _dtype(ctx):
    # MPS has no float64; everywhere else the tests run in float64.
    return torch.float32 if ctx.device == "mps" else torch.float64


def _tol(ctx):
    """(rtol, atol) for this run: float64 keeps the CPU tolerances (rtol, atol of
    exercise.toml) on every device, because TF32 changes only float32 matmuls and convolutions;
    so a solution that computes in float32 fails on a GPU as on the CPU. Only MPS, which has no
    float64 and runs the tests in float32, uses the exercise's GPU tolerances."""
    if _dtype(ctx) == torch.float64:
        return 1e-9, 1e-10
    return ctx.rtol, ctx.atol


def _inputs(ctx, offset, batch, seq_len, d_model):
    """x and four distinct (D, D) weights, scaled so that the scores stay around +-1."""
    rng = ctx.rng(offset)

    def tensor(array):
        return torch.tensor(array, dtype=_dtype(ctx), device=ctx.device)

    x = tensor(rng.normal(size=(batch, seq_len, d_model)))
    weights = [tensor(rng.normal(size=(d_model, d_model)) / math.sqrt(d_model)) for _ in range(4)]
    return x, weights


def _torch_reference(x, w_q, w_k, w_v, w_o, num_heads):
    """torch.nn.MultiheadAttention with the same weights copied in (it computes x @ W^T)."""
    d_model = x.shape[-1]
    mha = torch.nn.MultiheadAttention(
        d_model, num_heads, bias=False, batch_first=True, device=x.device, dtype=x.dtype
    )
    with torch.no_grad():
        mha.in_proj_weight.copy_(torch.cat([w_q.T, w_k.T, w_v.T], dim=0))
        mha.out_proj.weight.copy_(w_o.T)
        mha.eval()
        out, _ = mha(x, x, x, need_weights=False)
    return out


def _loop_reference(x, w_q, w_k, w_v, w_o, num_heads):
    """One head at a time: head h uses columns h*Dh:(h+1)*Dh of w_q, w_k and w_v."""
    d_model = x.shape[-1]
    head_dim = d_model // num_heads
    outputs = []
    for h in range(num_heads):
        cols = slice(h * head_dim, (h + 1) * head_dim)
        q, k, v = x @ w_q[:, cols], x @ w_k[:, cols], x @ w_v[:, cols]
        weights = torch.softmax(q @ k.transpose(-2, -1) / math.sqrt(head_dim), dim=-1)
        outputs.append(weights @ v)
    return torch.cat(outputs, dim=-1) @ w_o


def test_output_shape_dtype_and_device(sol, ctx):
    x, (w_q, w_k, w_v, w_o) = _inputs(ctx, 1, batch=2, seq_len=5, d_model=12)
    with torch.no_grad():
        out = sol.multi_head_attention(x, w_q, w_k, w_v, w_o, 3)
    assert_true(
        isinstance(out, torch.Tensor),
        f"the result must be a torch.Tensor, got {type(out).__name__}",
    )
    assert_true(
        out.device.type == x.device.type,
        f"the result is on {out.device.type}, but the inputs are on {x.device.type}",
    )
    assert_close(
        out,
        _torch_reference(x, w_q, w_k, w_v, w_o, 3),
        rtol=_tol(ctx)[0],
        atol=_tol(ctx)[1],
        what="multi_head_attention(x, ..., num_heads=3) with x (2, 5, 12)",
    )


def test_matches_nn_multihead_attention_d16_h4(sol, ctx):
    x, (w_q, w_k, w_v, w_o) = _inputs(ctx, 2, batch=3, seq_len=6, d_model=16)
    with torch.no_grad():
        out = sol.multi_head_attention(x, w_q, w_k, w_v, w_o, 4)
    assert_close(
        out,
        _torch_reference(x, w_q, w_k, w_v, w_o, 4),
        rtol=_tol(ctx)[0],
        atol=_tol(ctx)[1],
        what="multi_head_attention(x, ..., num_heads=4), x (3, 6, 16), vs nn.MultiheadAttention",
    )


def test_matches_per_head_loop(sol, ctx):
    x, (w_q, w_k, w_v, w_o) = _inputs(ctx, 3, batch=2, seq_len=4, d_model=12)
    with torch.no_grad():
        out = sol.multi_head_attention(x, w_q, w_k, w_v, w_o, 2)
        expected = _loop_reference(x, w_q, w_k, w_v, w_o, 2)
    assert_close(
        out,
        expected,
        rtol=_tol(ctx)[0],
        atol=_tol(ctx)[1],
        what="multi_head_attention(x, ..., num_heads=2), x (2, 4, 12), vs a per-head loop",
    )


def test_scale_uses_head_dim(sol, ctx):
    # D = 36, H = 9: head_dim = 4, so sqrt(head_dim) = 2 while sqrt(D) = 6.
    x, (w_q, w_k, w_v, w_o) = _inputs(ctx, 4, batch=2, seq_len=3, d_model=36)
    with torch.no_grad():
        out = sol.multi_head_attention(x, w_q, w_k, w_v, w_o, 9)
        expected = _loop_reference(x, w_q, w_k, w_v, w_o, 9)
    assert_close(
        out,
        expected,
        rtol=_tol(ctx)[0],
        atol=_tol(ctx)[1],
        what="multi_head_attention(x, ..., num_heads=9), D = 36: scores / sqrt(head_dim = 4)",
    )


def test_permuting_tokens_permutes_output(sol, ctx):
    # Self-attention without a mask treats the sequence as a set: shuffling the tokens of x
    # shuffles the rows of the output in the same way.
    x, (w_q, w_k, w_v, w_o) = _inputs(ctx, 5, batch=2, seq_len=5, d_model=12)
    perm = torch.tensor([3, 0, 4, 1, 2], device=x.device)
    with torch.no_grad():
        out = sol.multi_head_attention(x, w_q, w_k, w_v, w_o, 3)
        out_perm = sol.multi_head_attention(x[:, perm], w_q, w_k, w_v, w_o, 3)
    assert_close(
        out_perm,
        out[:, perm],
        rtol=_tol(ctx)[0],
        atol=_tol(ctx)[1],
        what="multi_head_attention(x[:, perm], ...) vs multi_head_attention(x, ...)[:, perm]",
    )


def test_does_not_call_multihead_attention(sol, ctx):
    # Read on the AST of the learner's source (aliases and imports resolved), in the judge.
    check_source_rules(
        ctx,
        rule="do not call torch.nn.MultiheadAttention yourself",
        names=(
            "torch.nn.MultiheadAttention",
            "torch.nn.functional.multi_head_attention_forward",
        ),
    )
