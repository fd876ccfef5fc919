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


def _tensor(ctx, array):
    return torch.tensor(array, dtype=_dtype(ctx), device=ctx.device)


def _run(sol, ctx, offset, shapes, steps, grad_scale, **hyper):
    """Run the learner's AdamW and torch.optim.AdamW on the same parameters and gradients."""
    rng = ctx.rng(offset)
    init = [rng.normal(scale=2.0, size=s) for s in shapes]
    grads = [[rng.normal(scale=grad_scale, size=s) for s in shapes] for _ in range(steps)]
    # The learner's optimizer updates its parameters in place, so they live in its process.
    mine = [ctx.send(_tensor(ctx, a).requires_grad_(True)) for a in init]
    ref = [_tensor(ctx, a).requires_grad_(True) for a in init]
    opt = sol.AdamW(mine, **hyper)
    ref_opt = torch.optim.AdamW(ref, **hyper, foreach=False)
    for t in range(steps):
        for p, q, g in zip(mine, ref, grads[t], strict=True):
            p.grad = _tensor(ctx, g)
            q.grad = _tensor(ctx, g)
        opt.step()
        ref_opt.step()
        for i, (p, q) in enumerate(zip(mine, ref, strict=True)):
            assert_close(
                p.detach(),
                q.detach(),
                rtol=_tol(ctx)[0],
                atol=_tol(ctx)[1],
                what=f"parameter {i} {tuple(q.shape)} after step {t + 1} ({hyper})",
            )


def test_first_step(sol, ctx):
    # Step 1 with bias correction moves every entry by about lr * sign(g).
    _run(sol, ctx, 1, [(3, 4)], steps=1, grad_scale=1.0, lr=0.1, weight_decay=0.0)


def test_several_steps_match_torch(sol, ctx):
    _run(
        sol,
        ctx,
        2,
        [(4, 3), (5,)],
        steps=4,
        grad_scale=1.0,
        lr=0.05,
        betas=(0.9, 0.99),
        weight_decay=0.0,
    )


def test_decoupled_weight_decay(sol, ctx):
    _run(
        sol,
        ctx,
        3,
        [(3, 5), (2,)],
        steps=3,
        grad_scale=0.5,
        lr=0.05,
        betas=(0.8, 0.95),
        weight_decay=0.3,
    )


def test_eps_outside_sqrt(sol, ctx):
    # Gradients around 1e-4 with eps = 1e-4: sqrt(v_hat) + eps and sqrt(v_hat + eps) differ a lot.
    _run(sol, ctx, 4, [(6,)], steps=3, grad_scale=1e-4, lr=0.1, eps=1e-4, weight_decay=0.0)


def test_skips_params_without_grad_and_zero_grad(sol, ctx):
    a = ctx.send(_tensor(ctx, ctx.rng(5).normal(size=3)).requires_grad_(True))
    b_before = _tensor(ctx, ctx.rng(6).normal(size=2))
    b = ctx.send(b_before.clone().requires_grad_(True))
    opt = sol.AdamW([a, b], lr=0.1, weight_decay=0.1)
    a.grad = torch.ones(3, dtype=_dtype(ctx), device=ctx.device)
    opt.step()
    assert_close(
        b.detach(),
        b_before,
        rtol=0.0,
        atol=0.0,
        what="a parameter whose .grad is None (it must not change, not even by weight decay)",
    )
    opt.zero_grad()
    assert_true(
        a.grad is None or bool((a.grad == 0).all()),
        "after zero_grad() the gradients must be None (or zeros)",
    )


def test_step_counter_is_per_parameter(sol, ctx):
    # torch counts steps per parameter: b has no gradient on step 1, so its first update (on
    # step 2) is ITS step 1 and uses the bias corrections of t = 1.
    rng = ctx.rng(7)
    init = [rng.normal(size=(3,)), rng.normal(size=(2, 2))]
    mine = [ctx.send(_tensor(ctx, a).requires_grad_(True)) for a in init]
    ref = [_tensor(ctx, a).requires_grad_(True) for a in init]
    hyper = {"lr": 0.1, "betas": (0.8, 0.9), "weight_decay": 0.1}
    opt = sol.AdamW(mine, **hyper)
    ref_opt = torch.optim.AdamW(ref, **hyper, foreach=False)
    for step in range(1, 4):
        for i, (p, q) in enumerate(zip(mine, ref, strict=True)):
            g = rng.normal(size=init[i].shape)
            has_grad = i == 0 or step > 1
            p.grad = _tensor(ctx, g) if has_grad else None
            q.grad = _tensor(ctx, g) if has_grad else None
        opt.step()
        ref_opt.step()
        for i, (p, q) in enumerate(zip(mine, ref, strict=True)):
            assert_close(
                p.detach(),
                q.detach(),
                rtol=_tol(ctx)[0],
                atol=_tol(ctx)[1],
                what=f"parameter {i} after step {step}, where parameter 1 had no gradient on "
                "step 1 (each parameter counts its own steps, as torch does)",
            )


def test_accepts_model_parameters_generator(sol, ctx):
    # model.parameters() is a generator: it can be iterated only once, so store list(params).
    rng = ctx.rng(8)
    weight, bias = rng.normal(size=(2, 3)), rng.normal(size=2)
    model = ctx.remote("torch").nn.Linear(3, 2, device=ctx.device, dtype=_dtype(ctx))
    with torch.no_grad():
        model.weight.copy_(_tensor(ctx, weight))
        model.bias.copy_(_tensor(ctx, bias))
    ref = [_tensor(ctx, weight).requires_grad_(True), _tensor(ctx, bias).requires_grad_(True)]
    opt = sol.AdamW(model.parameters(), lr=0.05, weight_decay=0.1)
    ref_opt = torch.optim.AdamW(ref, lr=0.05, weight_decay=0.1, foreach=False)
    for _ in range(2):
        grads = [rng.normal(size=(2, 3)), rng.normal(size=2)]
        model.weight.grad = _tensor(ctx, grads[0])
        model.bias.grad = _tensor(ctx, grads[1])
        for q, g in zip(ref, grads, strict=True):
            q.grad = _tensor(ctx, g)
        opt.step()
        ref_opt.step()
    for name, q in zip(["weight", "bias"], ref, strict=True):
        assert_close(
            getattr(model, name).detach(),
            q.detach(),
            rtol=_tol(ctx)[0],
            atol=_tol(ctx)[1],
            what=f"model.{name} after 2 steps of AdamW(model.parameters(), ...) (a generator)",
        )


def test_does_not_use_torch_optim(sol, ctx):
    # Read on the AST of the learner's source (aliases and imports resolved), in the judge.
    check_source_rules(
        ctx,
        rule="do not use torch.optim",
        modules=("torch.optim",),
    )
