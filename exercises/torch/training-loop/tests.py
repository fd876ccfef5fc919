import torch

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


def _tensor(ctx, array):
    return torch.tensor(array, dtype=_dtype(ctx), device=ctx.device)


def _regression(ctx, offset, n, d, noise):
    rng = ctx.rng(offset)
    X = rng.normal(size=(n, d))
    true_w = rng.normal(size=(d, 1))
    y = X @ true_w + 0.7 + noise * rng.normal(size=(n, 1))
    return _tensor(ctx, X), _tensor(ctx, y)


# The model, optimizer and loss are handed to the learner's train(), which updates them in
# place, so they are built in the learner's process (ctx.remote("torch")); the judge reads the
# weights back as data and compares them with its own reference run.
def _linear(ctx, d, offset):
    rng = ctx.rng(offset)
    model = ctx.remote("torch").nn.Linear(d, 1, device=ctx.device, dtype=_dtype(ctx))
    with torch.no_grad():
        model.weight.copy_(_tensor(ctx, rng.normal(scale=0.5, size=(1, d))))
        model.bias.copy_(_tensor(ctx, rng.normal(scale=0.5, size=1)))
    return model


def _check_floats(losses, epochs, label):
    assert_true(isinstance(losses, list), f"train must return a list, got {type(losses).__name__}")
    assert_true(len(losses) == epochs, f"{label}: expected {epochs} losses, got {len(losses)}")
    assert_true(
        all(isinstance(v, float) for v in losses),
        f"{label}: every loss must be a Python float (use loss.item()), got "
        f"{type(losses[0]).__name__}",
    )


def test_worked_example_one_weight(sol, ctx):
    remote = ctx.remote("torch")
    model = remote.nn.Linear(1, 1, bias=False, device=ctx.device, dtype=_dtype(ctx))
    with torch.no_grad():
        model.weight.zero_()
    optimizer = remote.optim.SGD(model.parameters(), lr=0.25)
    X, y = _tensor(ctx, [[1.0]]), _tensor(ctx, [[2.0]])
    losses = sol.train(model, optimizer, remote.nn.MSELoss(), X, y, 3)
    _check_floats(losses, 3, "train(w = 0, SGD(lr=0.25), 3 epochs)")
    assert_close(
        torch.tensor(losses, dtype=torch.float64),
        torch.tensor([4.0, 1.0, 0.25], dtype=torch.float64),
        rtol=_tol(ctx)[0],
        atol=_tol(ctx)[1],
        what="losses of the worked example (each measured BEFORE that epoch's step)",
    )
    assert_close(
        model.weight.detach(),
        _tensor(ctx, [[1.75]]),
        rtol=_tol(ctx)[0],
        atol=_tol(ctx)[1],
        what="w after 3 epochs of the worked example",
    )
    assert_true(
        sol.train(model, optimizer, remote.nn.MSELoss(), X, y, 0) == [],
        "train(..., epochs=0) must return an empty list",
    )


def test_sgd_linear_regression_trajectory(sol, ctx):
    # Reference: gradient descent on the MSE written out by hand (no autograd).
    X, y = _regression(ctx, 1, n=32, d=3, noise=0.1)
    model = _linear(ctx, 3, 11)
    w = model.weight.detach().clone()
    b = model.bias.detach().clone()
    lr, epochs = 0.05, 12
    expected = []
    for _ in range(epochs):
        residual = X @ w.T + b - y
        expected.append(float((residual**2).mean()))
        w = w - lr * 2.0 / len(X) * (residual.T @ X)
        b = b - lr * 2.0 / len(X) * residual.sum(dim=0)
    remote = ctx.remote("torch")
    optimizer = remote.optim.SGD(model.parameters(), lr=lr)
    losses = sol.train(model, optimizer, remote.nn.MSELoss(), X, y, epochs)
    _check_floats(losses, epochs, "train(linear model, SGD, 12 epochs)")
    assert_close(
        torch.tensor(losses, dtype=torch.float64),
        torch.tensor(expected, dtype=torch.float64),
        rtol=_tol(ctx)[0],
        atol=_tol(ctx)[1],
        what="the 12 epoch losses of SGD(lr=0.05) on a linear regression",
    )
    assert_close(
        model.weight.detach(), w, rtol=_tol(ctx)[0], atol=_tol(ctx)[1], what="final weight"
    )
    assert_close(model.bias.detach(), b, rtol=_tol(ctx)[0], atol=_tol(ctx)[1], what="final bias")


def test_loss_decreases_and_fits(sol, ctx):
    X, y = _regression(ctx, 2, n=64, d=4, noise=0.0)
    model = _linear(ctx, 4, 12)
    remote = ctx.remote("torch")
    optimizer = remote.optim.SGD(model.parameters(), lr=0.1)
    losses = sol.train(model, optimizer, remote.nn.MSELoss(), X, y, 150)
    _check_floats(losses, 150, "train(linear model, SGD, 150 epochs)")
    assert_true(
        all(losses[k + 1] < losses[k] for k in range(len(losses) - 1)),
        "the loss must decrease at every epoch of full-batch SGD(lr=0.1) on a linear regression; "
        f"first losses: {[round(v, 5) for v in losses[:5]]}",
    )
    assert_true(
        losses[-1] < 1e-6 * losses[0],
        f"after 150 epochs the noise-free regression should be fitted: loss went from "
        f"{losses[0]:.4g} to {losses[-1]:.4g}",
    )


def test_adam_mlp_matches_reference_loop(sol, ctx):
    X, y = _regression(ctx, 3, n=40, d=3, noise=0.05)
    torch.manual_seed(0)
    reference = torch.nn.Sequential(
        torch.nn.Linear(3, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1)
    ).to(device=ctx.device, dtype=_dtype(ctx))
    nn = ctx.remote("torch").nn
    model = nn.Sequential(nn.Linear(3, 8), nn.Tanh(), nn.Linear(8, 1)).to(
        device=ctx.device, dtype=_dtype(ctx)
    )
    model.load_state_dict({k: v.detach().clone() for k, v in reference.state_dict().items()})
    epochs = 15
    ref_opt = torch.optim.Adam(reference.parameters(), lr=0.02)
    loss_fn = torch.nn.MSELoss()
    expected = []
    for _ in range(epochs):
        ref_opt.zero_grad()
        loss = loss_fn(reference(X), y)
        loss.backward()
        ref_opt.step()
        expected.append(loss.item())
    optimizer = ctx.remote("torch").optim.Adam(model.parameters(), lr=0.02)
    losses = sol.train(model, optimizer, nn.MSELoss(), X, y, epochs)
    _check_floats(losses, epochs, "train(MLP, Adam, 15 epochs)")
    assert_close(
        torch.tensor(losses, dtype=torch.float64),
        torch.tensor(expected, dtype=torch.float64),
        rtol=_tol(ctx)[0],
        atol=_tol(ctx)[1],
        what="the 15 epoch losses of Adam(lr=0.02) on a small tanh MLP",
    )
    for (name, p), q in zip(model.named_parameters(), reference.parameters(), strict=True):
        assert_close(
            p.detach(), q.detach(), rtol=_tol(ctx)[0], atol=_tol(ctx)[1], what=f"final {name}"
        )


def test_zero_grad_clears_gradients_left_before_training(sol, ctx):
    # The parameters arrive with stale gradients (from an earlier evaluation, say). Clearing the
    # gradients at the START of each epoch discards them; clearing them only at the end of an
    # epoch lets the first step use stale + new gradients.
    X, y = _regression(ctx, 4, n=16, d=2, noise=0.1)
    model = _linear(ctx, 2, 14)
    w = model.weight.detach().clone()
    b = model.bias.detach().clone()
    model.weight.grad = _tensor(ctx, [[5.0, -3.0]])
    model.bias.grad = _tensor(ctx, [4.0])
    lr, epochs = 0.1, 3
    for _ in range(epochs):
        residual = X @ w.T + b - y
        w = w - lr * 2.0 / len(X) * (residual.T @ X)
        b = b - lr * 2.0 / len(X) * residual.sum(dim=0)
    remote = ctx.remote("torch")
    optimizer = remote.optim.SGD(model.parameters(), lr=lr)
    sol.train(model, optimizer, remote.nn.MSELoss(), X, y, epochs)
    what = (
        "after 3 epochs on parameters that arrived with stale gradients (call "
        "optimizer.zero_grad() FIRST in every epoch, before backward)"
    )
    assert_close(
        model.weight.detach(), w, rtol=_tol(ctx)[0], atol=_tol(ctx)[1], what="weight " + what
    )
    assert_close(model.bias.detach(), b, rtol=_tol(ctx)[0], atol=_tol(ctx)[1], what="bias " + what)
