import torch
import torch.nn.functional as F

from studyapp.core.drills.sandbox.asserts import assert_close, assert_true


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


def _setup(ctx, offset, d_in, d_out, r, batch_shape=(2, 3), bias=True):
    """A base nn.Linear with known weights, an A (r, d_in) and an input x (..., d_in)."""
    rng = ctx.rng(offset)

    def tensor(array):
        return torch.tensor(array, dtype=_dtype(ctx), device=ctx.device)

    weight = tensor(rng.normal(size=(d_out, d_in)) / d_in**0.5)
    b = tensor(rng.normal(size=(d_out,))) if bias else None
    # The learner's layer wraps the base layer, so it is built in the learner's process.
    nn = ctx.remote("torch").nn
    base = nn.Linear(d_in, d_out, bias=bias, device=ctx.device, dtype=_dtype(ctx))
    with torch.no_grad():
        base.weight.copy_(weight)
        if bias:
            base.bias.copy_(b)
    a = tensor(rng.normal(size=(r, d_in)) / d_in**0.5)
    x = tensor(rng.normal(size=(*batch_shape, d_in)))
    b_lora = tensor(rng.normal(size=(d_out, r)))
    return base, weight, b, a, x, b_lora


def _reference(x, weight, bias, a, b_lora, alpha, r):
    return F.linear(x, weight, bias) + (alpha / r) * (x @ a.T @ b_lora.T)


def test_initial_output_equals_base(sol, ctx):
    base, weight, bias, a, x, _ = _setup(ctx, 1, d_in=6, d_out=5, r=2)
    layer = sol.LoRALinear(base, 2, 8.0, a)
    with torch.no_grad():
        out = layer(x)
    assert_true(
        out.device.type == x.device.type,
        f"the output is on {out.device.type}, but the input is on {x.device.type}",
    )
    assert_close(
        out,
        F.linear(x, weight, bias),
        rtol=_tol(ctx)[0],
        atol=_tol(ctx)[1],
        what="LoRALinear(base, r=2, alpha=8, A)(x) right after construction (B = 0: equals base)",
    )
    assert_close(
        layer.B.detach(),
        torch.zeros(5, 2, dtype=_dtype(ctx), device=ctx.device),
        rtol=0,
        atol=0,
        what="layer.B at initialisation, shape (out, r)",
    )
    assert_close(
        layer.A.detach(), a, rtol=0, atol=0, what="layer.A at initialisation (the A passed in)"
    )


def test_base_frozen_and_only_lora_trains(sol, ctx):
    base, *_, a, x, b_lora = _setup(ctx, 2, d_in=6, d_out=5, r=3)
    layer = sol.LoRALinear(base, 3, 6.0, a)
    with torch.no_grad():
        layer.B.copy_(b_lora)
    layer(x).pow(2).sum().backward()
    for name, p in (("base.weight", base.weight), ("base.bias", base.bias)):
        assert_true(not p.requires_grad, f"{name}.requires_grad must be False (frozen)")
        assert_true(p.grad is None, f"{name}.grad must stay None after backward()")
    trainable = [p for p in layer.parameters() if p.requires_grad]
    assert_true(
        len(trainable) == 2
        and any(ctx.same(p, layer.A) for p in trainable)
        and any(ctx.same(p, layer.B) for p in trainable),
        f"exactly A and B must be trainable; got {len(trainable)} trainable parameters "
        f"with shapes {[tuple(p.shape) for p in trainable]}",
    )
    assert_true(
        layer.A.grad is not None and layer.B.grad is not None,
        "A.grad and B.grad must be set after backward()",
    )


def test_forward_with_trained_b(sol, ctx):
    # r = 4, alpha = 16: alpha / r = 4 while r / alpha = 0.25.
    base, weight, bias, a, x, b_lora = _setup(ctx, 3, d_in=7, d_out=5, r=4)
    layer = sol.LoRALinear(base, 4, 16.0, a)
    with torch.no_grad():
        layer.B.copy_(b_lora)
        out = layer(x)
    assert_close(
        out,
        _reference(x, weight, bias, a, b_lora, 16.0, 4),
        rtol=_tol(ctx)[0],
        atol=_tol(ctx)[1],
        what="LoRALinear(r=4, alpha=16)(x) = base(x) + 4 * x @ A.T @ B.T, x (2, 3, 7)",
    )


def test_gradients_of_a_and_b(sol, ctx):
    base, weight, bias, a, x, b_lora = _setup(ctx, 4, d_in=6, d_out=4, r=2)
    layer = sol.LoRALinear(base, 2, 3.0, a)
    with torch.no_grad():
        layer.B.copy_(b_lora)
    layer(x).pow(2).sum().backward()
    a_ref = a.clone().requires_grad_(True)
    b_ref = b_lora.clone().requires_grad_(True)
    _reference(x, weight, bias, a_ref, b_ref, 3.0, 2).pow(2).sum().backward()
    assert_close(layer.A.grad, a_ref.grad, rtol=_tol(ctx)[0], atol=_tol(ctx)[1], what="A.grad")
    assert_close(layer.B.grad, b_ref.grad, rtol=_tol(ctx)[0], atol=_tol(ctx)[1], what="B.grad")


def test_merged_weight_square_layer(sol, ctx):
    # in = out = 6, so a transposed product still has the right shape: only the values tell.
    base, weight, bias, a, x, b_lora = _setup(ctx, 5, d_in=6, d_out=6, r=2)
    layer = sol.LoRALinear(base, 2, 4.0, a)
    with torch.no_grad():
        layer.B.copy_(b_lora)
        merged = layer.merged_weight()
        out = layer(x)
    assert_close(
        merged,
        weight + 2.0 * (b_lora @ a),
        rtol=_tol(ctx)[0],
        atol=_tol(ctx)[1],
        what="merged_weight() = W + (alpha / r) * B @ A, W (6, 6), r = 2, alpha = 4",
    )
    assert_close(
        F.linear(x, merged, bias),
        out,
        rtol=_tol(ctx)[0],
        atol=_tol(ctx)[1],
        what="F.linear(x, merged_weight(), bias) vs layer(x)",
    )


def test_merged_weight_gives_same_forward(sol, ctx):
    base, weight, _, a, x, b_lora = _setup(ctx, 6, d_in=8, d_out=3, r=2, bias=False)
    layer = sol.LoRALinear(base, 2, 5.0, a)
    with torch.no_grad():
        layer.B.copy_(b_lora)
        merged = layer.merged_weight()
        out = layer(x)
    assert_close(
        merged,
        weight + 2.5 * (b_lora @ a),
        rtol=_tol(ctx)[0],
        atol=_tol(ctx)[1],
        what="merged_weight(), W (3, 8), r = 2, alpha = 5, no bias",
    )
    assert_close(
        x @ merged.T,
        out,
        rtol=_tol(ctx)[0],
        atol=_tol(ctx)[1],
        what="x @ merged_weight().T vs layer(x)",
    )


def test_a_is_copied(sol, ctx):
    # The layer holds a COPY of A: nn.Parameter(A) shares A's memory, so training the adapter
    # would change the caller's tensor (and two layers built from one A would train together).
    base, *_, a, x, b_lora = _setup(ctx, 7, d_in=4, d_out=3, r=2)
    callers_a = ctx.send(a.clone())  # the caller's tensor, in the learner's process
    layer = sol.LoRALinear(base, 2, 4.0, callers_a)
    with torch.no_grad():
        layer.B.copy_(b_lora)
    optimizer = ctx.remote("torch").optim.SGD(layer.parameters(), lr=0.5)
    layer(x).pow(2).sum().backward()
    optimizer.step()
    assert_true(
        not torch.equal(layer.A.detach(), a),
        "one SGD step on the layer's parameters did not change layer.A: A must be an "
        "nn.Parameter that the optimizer trains",
    )
    assert_true(
        torch.equal(callers_a.value(), a),
        "training the layer changed the A tensor passed to LoRALinear: store a copy, "
        "nn.Parameter(A.detach().clone()), not nn.Parameter(A), which shares A's memory",
    )
