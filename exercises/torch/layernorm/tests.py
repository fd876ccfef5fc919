import torch
import torch.nn.functional as F

from studyapp.core.judge import assert_close, assert_true


def _dtype(ctx):
    # MPS has no float64; everywhere else the tests run in float64.
    return torch.float32 if ctx.device == "mps" else torch.float64


def _tensor(ctx, array):
    return torch.tensor(array, dtype=_dtype(ctx), device=ctx.device)


def _inputs(ctx, offset, shape):
    rng = ctx.rng(offset)
    d = shape[-1]
    # Rows with different offsets and scales, so that per-row statistics matter.
    x = rng.normal(size=shape) * rng.uniform(0.5, 3.0, size=(*shape[:-1], 1))
    x = x + rng.uniform(-2.0, 2.0, size=(*shape[:-1], 1))
    weight = rng.uniform(0.5, 2.0, size=d)
    bias = rng.normal(size=d)
    return _tensor(ctx, x), _tensor(ctx, weight), _tensor(ctx, bias)


def _check(sol, ctx, shape, offset, eps=1e-5):
    x, weight, bias = _inputs(ctx, offset, shape)
    with torch.no_grad():
        out = sol.layer_norm(x, weight, bias, eps)
    assert_true(isinstance(out, torch.Tensor), f"expected a torch.Tensor, got {type(out)}")
    assert_true(out.device.type == x.device.type, f"output is on {out.device.type}")
    expected = F.layer_norm(x, (shape[-1],), weight, bias, eps)
    assert_close(
        out,
        expected,
        rtol=ctx.rtol,
        atol=ctx.atol,
        what=f"layer_norm(x of shape {shape}, eps={eps}) vs F.layer_norm",
    )


def test_matches_f_layer_norm_2d(sol, ctx):
    _check(sol, ctx, (5, 4), offset=1)


def test_matches_f_layer_norm_3d(sol, ctx):
    _check(sol, ctx, (2, 3, 4), offset=2)


def test_wide_rows(sol, ctx):
    _check(sol, ctx, (3, 2, 16), offset=3)


def test_small_variance_eps_inside_sqrt(sol, ctx):
    x, weight, bias = _inputs(ctx, 4, (3, 4))
    x = 1.0 + 1e-2 * x  # row variances around 1e-4, comparable to eps
    with torch.no_grad():
        out = sol.layer_norm(x, weight, bias, 1e-4)
    assert_close(
        out,
        F.layer_norm(x, (4,), weight, bias, 1e-4),
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="layer_norm of nearly constant rows with eps = 1e-4",
    )


def test_rows_are_independent(sol, ctx):
    # Changing one row must not change any other row's output.
    x, weight, bias = _inputs(ctx, 5, (4, 4))
    y = x.clone()
    y[0] = y[0] * 5.0 + 3.0
    with torch.no_grad():
        a = sol.layer_norm(x, weight, bias, 1e-5)
        b = sol.layer_norm(y, weight, bias, 1e-5)
    assert_close(
        b[1:],
        a[1:],
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="rows 1..3 of layer_norm after changing only row 0",
    )
