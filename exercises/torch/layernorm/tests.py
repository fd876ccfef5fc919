import torch
import torch.nn.functional as F

from studyapp.core.drills.sandbox.asserts import assert_close, assert_true
from studyapp.core.drills.sandbox.source_rules import check_source_rules


def _dtype(ctx):
    # MPS has no float64; everywhere else the tests run in float64.
    return torch.float32 if ctx.device == "mps" else torch.float64


def _tensor(ctx, array):
    return torch.tensor(array, dtype=_dtype(ctx), device=ctx.device)


def _tol(ctx):
    """(rtol, atol) for this run. float64 is float64 on every device (TF32 changes only float32
    matmuls and convolutions, and LayerNorm has none), so in float64 the GPU run is held to the
    CPU tolerances: LayerNorm computed in float32 (errors near 1e-7) or with eps = 1e-6 fails
    there too. Only MPS, which has no float64, runs in float32 with the exercise's GPU ones."""
    if _dtype(ctx) == torch.float64:
        return 1e-9, 1e-10
    return ctx.rtol, ctx.atol


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
    rtol, atol = _tol(ctx)
    assert_close(
        out,
        expected,
        rtol=rtol,
        atol=atol,
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
    rtol, atol = _tol(ctx)
    assert_close(
        out,
        F.layer_norm(x, (4,), weight, bias, 1e-4),
        rtol=rtol,
        atol=atol,
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
    rtol, atol = _tol(ctx)
    assert_close(
        b[1:],
        a[1:],
        rtol=rtol,
        atol=atol,
        what="rows 1..3 of layer_norm after changing only row 0",
    )


def test_default_eps_is_1e_5(sol, ctx):
    # Rows with variance around 1e-4: eps = 1e-5 and eps = 1e-6 give outputs about 4 % apart.
    x, weight, bias = _inputs(ctx, 6, (3, 4))
    x = 2.0 + 1e-2 * x
    with torch.no_grad():
        out = sol.layer_norm(x, weight, bias)
    rtol, atol = _tol(ctx)
    assert_close(
        out,
        F.layer_norm(x, (4,), weight, bias, 1e-5),
        rtol=rtol,
        atol=atol,
        what="layer_norm(x, weight, bias) called without eps (the default must be 1e-5, as in "
        "F.layer_norm), rows with variance near 1e-4",
    )


def test_float64_stays_float64(sol, ctx):
    # A float64 input is computed in float64: LayerNorm done in float32 and cast back is off by
    # about 1e-7, far outside the float64 tolerance, on the CPU and on a GPU alike.
    x, weight, bias = _inputs(ctx, 7, (4, 8))
    x = 1000.0 + x  # a large common offset, where float32 loses the most digits
    with torch.no_grad():
        out = sol.layer_norm(x, weight, bias, 1e-5)
    assert_true(
        out.dtype == x.dtype, f"layer_norm returned dtype {out.dtype} for a {x.dtype} input"
    )
    rtol, atol = _tol(ctx)
    assert_close(
        out,
        F.layer_norm(x, (8,), weight, bias, 1e-5),
        rtol=rtol,
        atol=atol,
        what=f"layer_norm of {x.dtype} rows near 1000 (compute in the input's dtype)",
    )


def test_does_not_call_layer_norm(sol, ctx):
    # Read on the AST of the learner's source (aliases and imports resolved), in the judge.
    check_source_rules(
        ctx,
        rule="do not call F.layer_norm or nn.LayerNorm",
        names=(
            "torch.nn.functional.layer_norm",
            "torch.layer_norm",
            "torch.native_layer_norm",
            "torch.nn.LayerNorm",
        ),
    )
