import math

import torch
import torch.nn.functional as F

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


def _params(ctx, offset, d_model):
    rng = ctx.rng(offset)

    def t(shape, scale):
        return torch.tensor(
            rng.normal(scale=scale, size=shape), dtype=_dtype(ctx), device=ctx.device
        )

    s = 1.0 / math.sqrt(d_model)
    return {
        "ln1_weight": 1.0 + t((d_model,), 0.2),
        "ln1_bias": t((d_model,), 0.2),
        "ln2_weight": 1.0 + t((d_model,), 0.2),
        "ln2_bias": t((d_model,), 0.2),
        "w_qkv": t((d_model, 3 * d_model), s),
        "b_qkv": t((3 * d_model,), 0.1),
        "w_o": t((d_model, d_model), s),
        "b_o": t((d_model,), 0.1),
        "w_fc": t((d_model, 4 * d_model), s),
        "b_fc": t((4 * d_model,), 0.1),
        "w_proj": t((4 * d_model, d_model), 0.5 / math.sqrt(d_model)),
        "b_proj": t((d_model,), 0.1),
    }


def _x(ctx, offset, shape):
    rng = ctx.rng(offset)
    return torch.tensor(rng.normal(size=shape), dtype=_dtype(ctx), device=ctx.device)


def _reference(x, p, num_heads):
    """Pre-norm block built from torch.nn.functional pieces, head by head."""
    d = x.shape[-1]
    dh = d // num_heads
    a = F.layer_norm(x, (d,), p["ln1_weight"], p["ln1_bias"], eps=1e-5)
    q, k, v = (a @ p["w_qkv"] + p["b_qkv"]).split(d, dim=-1)
    heads = []
    for i in range(num_heads):
        cols = slice(i * dh, (i + 1) * dh)
        heads.append(
            F.scaled_dot_product_attention(q[..., cols], k[..., cols], v[..., cols], is_causal=True)
        )
    h = x + torch.cat(heads, dim=-1) @ p["w_o"] + p["b_o"]
    m = F.layer_norm(h, (d,), p["ln2_weight"], p["ln2_bias"], eps=1e-5)
    return h + F.gelu(m @ p["w_fc"] + p["b_fc"]) @ p["w_proj"] + p["b_proj"]


def test_shape_dtype_and_device(sol, ctx):
    x, p = _x(ctx, 1, (2, 5, 8)), _params(ctx, 2, 8)
    with torch.no_grad():
        out = sol.gpt_block(x, p, 2)
    assert_true(isinstance(out, torch.Tensor), f"expected a torch.Tensor, got {type(out)}")
    assert_true(
        out.shape == x.shape, f"the result has shape {tuple(out.shape)}, expected (2, 5, 8)"
    )
    assert_true(out.dtype == x.dtype, f"the result has dtype {out.dtype}, expected {x.dtype}")
    assert_true(out.device.type == x.device.type, f"the result is on {out.device}, not {x.device}")


def test_matches_reference(sol, ctx):
    x, p = _x(ctx, 3, (3, 6, 16)), _params(ctx, 4, 16)
    with torch.no_grad():
        out = sol.gpt_block(x, p, 4)
        expected = _reference(x, p, 4)
    assert_close(
        out, expected, rtol=_tol(ctx)[0], atol=_tol(ctx)[1], what="gpt_block(x (3, 6, 16), 4 heads)"
    )


def test_zero_sublayers_return_x(sol, ctx):
    # Zero output projections: each sub-layer adds 0, so a pre-norm block returns x itself.
    x, p = _x(ctx, 5, (2, 4, 8)), _params(ctx, 6, 8)
    for key in ("w_o", "b_o", "w_proj", "b_proj"):
        p[key] = torch.zeros_like(p[key])
    with torch.no_grad():
        out = sol.gpt_block(x, p, 2)
    assert_close(
        out,
        x,
        rtol=_tol(ctx)[0],
        atol=_tol(ctx)[1],
        what="gpt_block with w_o = b_o = w_proj = b_proj = 0 (the residual must pass x through)",
    )


def test_future_tokens_do_not_leak(sol, ctx):
    x, p = _x(ctx, 7, (2, 6, 12)), _params(ctx, 8, 12)
    x2 = x.clone()
    x2[:, 3:] = _x(ctx, 9, (2, 3, 12)) * 3.0
    with torch.no_grad():
        out = sol.gpt_block(x, p, 3)
        out2 = sol.gpt_block(x2, p, 3)
    assert_close(
        out2[:, :3],
        out[:, :3],
        rtol=_tol(ctx)[0],
        atol=_tol(ctx)[1],
        what="gpt_block outputs 0..2 after changing tokens 3..5 (attention must be causal)",
    )
