import torch
import torch.nn.functional as F

from studyapp.core.drills.sandbox.asserts import assert_close, assert_equal, assert_true
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


def _tensor(ctx, array):
    return torch.tensor(array, dtype=_dtype(ctx), device=ctx.device)


def _make(sol, ctx, d_in, d_out, offset, bias=True):
    """A layer with known weights copied in (never relies on the layer's own initialisation)."""
    rng = ctx.rng(offset)
    layer = sol.Linear(d_in, d_out, bias=bias, device=ctx.device, dtype=_dtype(ctx))
    w = _tensor(ctx, rng.normal(size=(d_out, d_in)))
    b = _tensor(ctx, rng.normal(size=d_out)) if bias else None
    assert_true(
        ctx.isinstance(getattr(layer, "weight", None), "torch.Tensor"),
        "layer.weight must be a tensor (an nn.Parameter)",
    )
    assert_equal(
        tuple(layer.weight.shape),
        (d_out, d_in),
        what=f"Linear({d_in}, {d_out}).weight.shape (out_features, in_features)",
    )
    with torch.no_grad():
        layer.weight.copy_(w)
        if bias:
            assert_equal(
                tuple(layer.bias.shape), (d_out,), what=f"Linear({d_in}, {d_out}).bias.shape"
            )
            layer.bias.copy_(b)
    return layer, w, b


def test_parameters_registered(sol, ctx):
    layer = sol.Linear(5, 3, device=ctx.device, dtype=_dtype(ctx))
    params = dict(layer.named_parameters())
    assert_equal(
        sorted(params), ["bias", "weight"], what="names in Linear(5, 3).named_parameters()"
    )
    assert_equal(tuple(params["weight"].shape), (3, 5), what="weight shape (out, in)")
    assert_equal(tuple(params["bias"].shape), (3,), what="bias shape (out,)")
    for name, p in params.items():
        assert_true(p.requires_grad, f"parameter {name} must have requires_grad=True")
        assert_true(p.dtype == _dtype(ctx), f"parameter {name} has dtype {p.dtype}")
        assert_true(p.device.type == ctx.device, f"parameter {name} is on {p.device.type}")
    no_bias = sol.Linear(5, 3, bias=False, device=ctx.device, dtype=_dtype(ctx))
    assert_equal(
        [name for name, _ in no_bias.named_parameters()],
        ["weight"],
        what="names in Linear(5, 3, bias=False).named_parameters()",
    )
    assert_true(no_bias.bias is None, "with bias=False, layer.bias must be None")


def test_forward_matches_f_linear(sol, ctx):
    layer, w, b = _make(sol, ctx, 6, 4, offset=1)
    x = _tensor(ctx, ctx.rng(11).normal(size=(7, 6)))
    with torch.no_grad():
        out = layer(x)
    assert_close(
        out,
        F.linear(x, w, b),
        rtol=_tol(ctx)[0],
        atol=_tol(ctx)[1],
        what="Linear(6, 4)(x), x (7, 6)",
    )


def test_leading_dimensions_b_t(sol, ctx):
    layer, w, b = _make(sol, ctx, 5, 3, offset=2)
    x = _tensor(ctx, ctx.rng(12).normal(size=(2, 4, 5)))
    with torch.no_grad():
        out = layer(x)
    assert_close(
        out,
        F.linear(x, w, b),
        rtol=_tol(ctx)[0],
        atol=_tol(ctx)[1],
        what="Linear(5, 3)(x), x (2, 4, 5)",
    )


def test_without_bias(sol, ctx):
    layer, w, _ = _make(sol, ctx, 4, 6, offset=3, bias=False)
    x = _tensor(ctx, ctx.rng(13).normal(size=(3, 4)))
    with torch.no_grad():
        out = layer(x)
    assert_close(
        out,
        F.linear(x, w),
        rtol=_tol(ctx)[0],
        atol=_tol(ctx)[1],
        what="Linear(4, 6, bias=False)(x)",
    )


def test_gradients_flow(sol, ctx):
    layer, w, b = _make(sol, ctx, 5, 3, offset=4)
    # x stays in the learner's process, where backward() fills x.grad.
    x = ctx.send(_tensor(ctx, ctx.rng(14).normal(size=(2, 3, 5))).requires_grad_(True))
    g = _tensor(ctx, ctx.rng(15).normal(size=(2, 3, 3)))
    out = layer(x)
    (out * g).sum().backward()
    w_ref = w.clone().requires_grad_(True)
    b_ref = b.clone().requires_grad_(True)
    x_ref = x.detach().clone().requires_grad_(True)
    (F.linear(x_ref, w_ref, b_ref) * g).sum().backward()
    assert_true(layer.weight.grad is not None, "layer.weight.grad is None after backward()")
    assert_true(layer.bias.grad is not None, "layer.bias.grad is None after backward()")
    assert_close(
        layer.weight.grad, w_ref.grad, rtol=_tol(ctx)[0], atol=_tol(ctx)[1], what="weight.grad"
    )
    assert_close(
        layer.bias.grad, b_ref.grad, rtol=_tol(ctx)[0], atol=_tol(ctx)[1], what="bias.grad"
    )
    assert_close(x.grad, x_ref.grad, rtol=_tol(ctx)[0], atol=_tol(ctx)[1], what="x.grad")


def test_does_not_call_nn_linear(sol, ctx):
    # Read on the AST of the learner's source (aliases and imports resolved), in the judge.
    check_source_rules(
        ctx,
        rule="do not call nn.Linear or F.linear",
        names=("torch.nn.Linear", "torch.nn.functional.linear", "torch._C._nn.linear"),
    )
