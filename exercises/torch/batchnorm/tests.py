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
    matmuls and convolutions, and BatchNorm has none), so in float64 the GPU run is held to the
    CPU tolerances: BatchNorm computed in float32 (errors near 1e-7) fails there too. Only MPS,
    which has no float64, runs in float32 with the exercise's GPU tolerances."""
    if _dtype(ctx) == torch.float64:
        return 1e-9, 1e-10
    return ctx.rtol, ctx.atol


def _inputs(ctx, offset, n, c, h, w):
    """x whose channels have clearly different means and scales, plus affine params and stats."""
    rng = ctx.rng(offset)
    shift = rng.uniform(-3.0, 3.0, size=(1, c, 1, 1))
    scale = rng.uniform(0.5, 3.0, size=(1, c, 1, 1))
    x = _tensor(ctx, rng.normal(size=(n, c, h, w)) * scale + shift)
    weight = _tensor(ctx, rng.uniform(0.5, 2.0, size=c))
    bias = _tensor(ctx, rng.normal(size=c))
    running_mean = _tensor(ctx, rng.normal(scale=0.5, size=c))
    running_var = _tensor(ctx, rng.uniform(0.5, 2.0, size=c))
    return x, weight, bias, running_mean, running_var


def test_training_output_matches_f_batch_norm(sol, ctx):
    x, weight, bias, rm, rv = _inputs(ctx, 1, n=4, c=3, h=5, w=2)
    with torch.no_grad():
        out = sol.batch_norm_2d(x, weight, bias, rm.clone(), rv.clone(), True, 0.1, 1e-5)
        expected = F.batch_norm(x, rm.clone(), rv.clone(), weight, bias, True, 0.1, 1e-5)
    assert_close(
        out,
        expected,
        rtol=_tol(ctx)[0],
        atol=_tol(ctx)[1],
        what="batch_norm_2d(x (4, 3, 5, 2), training=True) vs F.batch_norm",
    )


def test_biased_variance_for_normalising_small_batch(sol, ctx):
    # Only N*H*W = 4 values per channel: unbiased and biased variance differ by a factor 4/3.
    x, weight, bias, rm, rv = _inputs(ctx, 2, n=2, c=3, h=1, w=2)
    with torch.no_grad():
        out = sol.batch_norm_2d(x, weight, bias, rm.clone(), rv.clone(), True, 0.1, 1e-5)
        expected = F.batch_norm(x, rm.clone(), rv.clone(), weight, bias, True, 0.1, 1e-5)
    assert_close(
        out,
        expected,
        rtol=_tol(ctx)[0],
        atol=_tol(ctx)[1],
        what="batch_norm_2d(x (2, 3, 1, 2), training=True): 4 values per channel",
    )


def test_running_stats_updated_in_place(sol, ctx):
    x, weight, bias, rm, rv = _inputs(ctx, 3, n=3, c=4, h=2, w=2)
    # Updated in place by the learner's code, so kept in its process (read back as data).
    mine_mean, mine_var = ctx.send(rm.clone()), ctx.send(rv.clone())
    ref_mean, ref_var = rm.clone(), rv.clone()
    rng = ctx.rng(13)
    with torch.no_grad():
        for step in range(3):
            batch = x + _tensor(ctx, rng.normal(size=(1, 4, 1, 1)))
            sol.batch_norm_2d(batch, weight, bias, mine_mean, mine_var, True, 0.2, 1e-5)
            F.batch_norm(batch, ref_mean, ref_var, weight, bias, True, 0.2, 1e-5)
            assert_close(
                mine_mean,
                ref_mean,
                rtol=_tol(ctx)[0],
                atol=_tol(ctx)[1],
                what=f"running_mean after {step + 1} training call(s), momentum 0.2",
            )
            assert_close(
                mine_var,
                ref_var,
                rtol=_tol(ctx)[0],
                atol=_tol(ctx)[1],
                what=f"running_var after {step + 1} training call(s) (unbiased batch variance)",
            )


def test_eval_uses_running_stats(sol, ctx):
    x, weight, bias, rm, rv = _inputs(ctx, 4, n=3, c=3, h=2, w=3)
    # Updated in place by the learner's code, so kept in its process (read back as data).
    mine_mean, mine_var = ctx.send(rm.clone()), ctx.send(rv.clone())
    with torch.no_grad():
        out = sol.batch_norm_2d(x, weight, bias, mine_mean, mine_var, False, 0.1, 1e-5)
        expected = F.batch_norm(x, rm.clone(), rv.clone(), weight, bias, False, 0.1, 1e-5)
    assert_close(
        out,
        expected,
        rtol=_tol(ctx)[0],
        atol=_tol(ctx)[1],
        what="batch_norm_2d(x, training=False) (normalised with the running statistics)",
    )
    assert_true(
        torch.equal(mine_mean.value(), rm) and torch.equal(mine_var.value(), rv),
        "training=False must leave running_mean and running_var unchanged",
    )


def test_small_variance_eps_inside_sqrt(sol, ctx):
    # A channel whose batch variance is about eps: sqrt(var + eps) and sqrt(var) + eps differ.
    x, weight, bias, rm, rv = _inputs(ctx, 5, n=2, c=2, h=3, w=3)
    x[:, 1] = 0.5 + 1e-3 * x[:, 1]
    with torch.no_grad():
        out = sol.batch_norm_2d(x, weight, bias, rm.clone(), rv.clone(), True, 0.1, 1e-3)
        expected = F.batch_norm(x, rm.clone(), rv.clone(), weight, bias, True, 0.1, 1e-3)
    assert_close(
        out,
        expected,
        rtol=_tol(ctx)[0],
        atol=_tol(ctx)[1],
        what="batch_norm_2d with a nearly constant channel and eps = 1e-3",
    )


def test_one_value_per_channel(sol, ctx):
    # N = H = W = 1: the running variance needs var * m / (m - 1) with m = 1, which is
    # undefined; torch raises ValueError in training mode and so must batch_norm_2d, leaving the
    # running statistics as they were. In eval mode one value per channel is fine.
    x, weight, bias, rm, rv = _inputs(ctx, 6, n=1, c=3, h=1, w=1)
    mine_mean, mine_var = ctx.send(rm.clone()), ctx.send(rv.clone())
    raised = False
    with torch.no_grad():
        try:
            sol.batch_norm_2d(x, weight, bias, mine_mean, mine_var, True, 0.1, 1e-5)
        except ValueError:
            raised = True
    assert_true(
        raised,
        "batch_norm_2d(x of shape (1, 3, 1, 1), training=True) must raise ValueError, as "
        "F.batch_norm does: with N·H·W = 1 the unbiased variance m / (m - 1) is undefined",
    )
    assert_true(
        torch.equal(mine_mean.value(), rm) and torch.equal(mine_var.value(), rv),
        "a training call that raised ValueError (N·H·W = 1) must leave running_mean and "
        "running_var unchanged",
    )
    with torch.no_grad():
        out = sol.batch_norm_2d(x, weight, bias, mine_mean, mine_var, False, 0.1, 1e-5)
        expected = F.batch_norm(x, rm.clone(), rv.clone(), weight, bias, False, 0.1, 1e-5)
    assert_close(
        out,
        expected,
        rtol=_tol(ctx)[0],
        atol=_tol(ctx)[1],
        what="batch_norm_2d(x of shape (1, 3, 1, 1), training=False) (one value per channel is "
        "fine in eval mode)",
    )


def test_does_not_call_batch_norm(sol, ctx):
    # Read on the AST of the learner's source (aliases and imports resolved), in the judge.
    check_source_rules(
        ctx,
        rule="do not call F.batch_norm or nn.BatchNorm2d",
        names=(
            "torch.nn.functional.batch_norm",
            "torch.batch_norm",
            "torch.native_batch_norm",
            "torch.nn.BatchNorm1d",
            "torch.nn.BatchNorm2d",
            "torch.nn.BatchNorm3d",
        ),
    )
