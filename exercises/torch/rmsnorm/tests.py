import torch

from studyapp.core.drills.sandbox.asserts import assert_close, assert_true
from studyapp.core.drills.sandbox.source_rules import check_source_rules


def _dtype(ctx):
    # MPS has no float64; everywhere else the tests run in float64.
    return torch.float32 if ctx.device == "mps" else torch.float64


def _tensor(ctx, array):
    return torch.tensor(array, dtype=_dtype(ctx), device=ctx.device)


def _tol(ctx):
    """(rtol, atol) for this run. float64 is float64 on every device (TF32 changes only float32
    matmuls and convolutions, and RMSNorm has none), so in float64 the GPU run is held to the
    CPU tolerances: RMSNorm computed in float32 (errors near 1e-7) fails there too. Only MPS,
    which has no float64, runs in float32 with the exercise's GPU tolerances."""
    if _dtype(ctx) == torch.float64:
        return 1e-9, 1e-10
    return ctx.rtol, ctx.atol


def _reference(x, weight, eps):
    """Written out independently; equals F.rms_norm(x, (D,), weight, eps)."""
    return x * torch.rsqrt(torch.mean(torch.square(x), dim=-1, keepdim=True) + eps) * weight


def _inputs(ctx, offset, shape):
    rng = ctx.rng(offset)
    # Rows with a clearly non-zero mean, so that subtracting it changes the answer.
    x = rng.normal(size=shape) + rng.uniform(0.5, 2.0, size=(*shape[:-1], 1))
    x = x * rng.uniform(0.5, 3.0, size=(*shape[:-1], 1))
    weight = rng.uniform(0.5, 2.0, size=shape[-1])
    return _tensor(ctx, x), _tensor(ctx, weight)


def _check(sol, ctx, x, weight, eps, label):
    with torch.no_grad():
        out = sol.rms_norm(x, weight, eps)
    assert_true(isinstance(out, torch.Tensor), f"expected a torch.Tensor, got {type(out)}")
    assert_true(out.device.type == x.device.type, f"output is on {out.device.type}")
    expected = _reference(x, weight, eps)
    if hasattr(torch.nn.functional, "rms_norm"):
        expected = torch.nn.functional.rms_norm(x, (x.shape[-1],), weight, eps)
    assert_close(out, expected, rtol=_tol(ctx)[0], atol=_tol(ctx)[1], what=label)


def test_matches_reference_2d(sol, ctx):
    x, weight = _inputs(ctx, 1, (5, 6))
    _check(sol, ctx, x, weight, 1e-6, "rms_norm(x (5, 6), weight, eps=1e-6)")


def test_matches_reference_3d(sol, ctx):
    x, weight = _inputs(ctx, 2, (2, 3, 8))
    _check(sol, ctx, x, weight, 1e-6, "rms_norm(x (2, 3, 8), weight, eps=1e-6)")


def test_no_mean_subtraction(sol, ctx):
    # A constant row c has RMS |c|: RMSNorm maps it to sign(c) * weight, not to 0.
    weight = _tensor(ctx, [0.5, 1.0, 1.5, 2.0])
    x = _tensor(ctx, [[3.0, 3.0, 3.0, 3.0], [-2.0, -2.0, -2.0, -2.0]])
    _check(sol, ctx, x, weight, 0.0, "rms_norm of constant rows [3, 3, 3, 3] and [-2, ...], eps=0")


def test_eps_inside_sqrt(sol, ctx):
    x, weight = _inputs(ctx, 4, (3, 4))
    x = 1e-2 * x  # mean squares around 1e-4, comparable to eps
    _check(sol, ctx, x, weight, 1e-4, "rms_norm of small rows with eps = 1e-4")


def test_rows_are_independent(sol, ctx):
    x, weight = _inputs(ctx, 5, (4, 6))
    y = x.clone()
    y[0] = y[0] * 7.0
    with torch.no_grad():
        a = sol.rms_norm(x, weight, 1e-6)
        b = sol.rms_norm(y, weight, 1e-6)
    assert_close(
        b[1:],
        a[1:],
        rtol=_tol(ctx)[0],
        atol=_tol(ctx)[1],
        what="rows 1..3 after changing only row 0",
    )


def test_default_eps_is_1e_6(sol, ctx):
    # Rows with mean square near 1e-5: eps = 1e-6 and eps = 1e-5 (LayerNorm's) differ by ~40 %.
    x, weight = _inputs(ctx, 6, (3, 6))
    x = 3e-3 * x
    with torch.no_grad():
        out = sol.rms_norm(x, weight)
    assert_close(
        out,
        _reference(x, weight, 1e-6),
        rtol=_tol(ctx)[0],
        atol=_tol(ctx)[1],
        what="rms_norm(x, weight) called without eps (the default must be 1e-6), rows with "
        "mean square near 1e-5",
    )


def test_does_not_call_rms_norm(sol, ctx):
    # Read on the AST of the learner's source (aliases and imports resolved), in the judge.
    check_source_rules(
        ctx,
        rule="do not call F.rms_norm or nn.RMSNorm",
        names=("torch.nn.functional.rms_norm", "torch.rms_norm", "torch.nn.RMSNorm"),
    )
