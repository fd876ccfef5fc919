import torch
import torch.nn.functional as F

from studyapp.core.drills.sandbox.asserts import assert_close


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


def _tensor(ctx, array):
    return torch.tensor(array, dtype=_dtype(ctx), device=ctx.device)


def _check(sol, ctx, offset, x_shape, w_shape, with_bias=True, **kwargs):
    rng = ctx.rng(offset)
    x = _tensor(ctx, rng.normal(size=x_shape))
    weight = _tensor(ctx, rng.normal(size=w_shape))
    bias = _tensor(ctx, rng.normal(size=w_shape[0])) if with_bias else None
    with torch.no_grad():
        out = sol.conv2d(x, weight, bias, **kwargs)
    expected = F.conv2d(x, weight, bias, **kwargs)
    assert_close(
        out,
        expected,
        rtol=_tol(ctx)[0],
        atol=_tol(ctx)[1],
        what=f"conv2d(x {x_shape}, weight {w_shape}, bias={with_bias}, {kwargs}) vs F.conv2d",
    )


def test_cross_correlation_not_flipped(sol, ctx):
    # Kernel [[1, 0], [0, 0]] picks the TOP-LEFT pixel of every 2x2 window.
    x = _tensor(ctx, [[[[0.0, 1.0, 2.0], [3.0, 4.0, 5.0], [6.0, 7.0, 8.0]]]])
    weight = _tensor(ctx, [[[[1.0, 0.0], [0.0, 0.0]]]])
    with torch.no_grad():
        out = sol.conv2d(x, weight)
    assert_close(
        out,
        _tensor(ctx, [[[[0.0, 1.0], [3.0, 4.0]]]]),
        rtol=_tol(ctx)[0],
        atol=_tol(ctx)[1],
        what="conv2d(arange(9).view(1, 1, 3, 3), kernel [[1, 0], [0, 0]])",
    )


def test_basic_multi_channel(sol, ctx):
    _check(sol, ctx, 1, (2, 3, 6, 7), (4, 3, 3, 2))


def test_channel_order(sol, ctx):
    # C_in == C_out: mixing up weight[o, c] and weight[c, o] keeps the shape but not the values.
    _check(sol, ctx, 2, (2, 3, 5, 5), (3, 3, 2, 2))


def test_stride_and_padding_per_axis(sol, ctx):
    _check(sol, ctx, 3, (2, 2, 7, 8), (3, 2, 3, 2), stride=(2, 1), padding=(1, 2))
    _check(sol, ctx, 4, (1, 2, 8, 9), (2, 2, 3, 3), stride=2, padding=1)


def test_dilation(sol, ctx):
    _check(sol, ctx, 5, (2, 2, 9, 8), (3, 2, 3, 2), dilation=(2, 3))
    _check(sol, ctx, 6, (1, 3, 8, 8), (2, 3, 2, 3), dilation=2, padding=(2, 1))


def test_all_options_combined(sol, ctx):
    _check(
        sol,
        ctx,
        7,
        (2, 3, 11, 10),
        (4, 3, 3, 2),
        with_bias=False,
        stride=(2, 3),
        padding=(2, 1),
        dilation=(2, 2),
    )
