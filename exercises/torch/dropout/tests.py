import math

import numpy as np
import torch

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


def _x(ctx, offset, shape):
    """Values with |x| in [0.5, 2]: an output of exactly 0 can only mean "dropped"."""
    rng = ctx.rng(offset)
    magnitude = rng.uniform(0.5, 2.0, size=shape)
    sign = rng.choice([-1.0, 1.0], size=shape)
    return torch.tensor(magnitude * sign, dtype=_dtype(ctx), device=ctx.device)


def _seed(ctx, seed):
    # The learner's code runs in its own process: seed ITS global generator (torch.manual_seed
    # here, in the judge, would not reach it).
    ctx.remote("torch").manual_seed(seed)


def test_eval_is_identity(sol, ctx):
    x = _x(ctx, 1, (4, 6))
    out = sol.dropout(x, 0.4, training=False)
    assert_close(out, x, rtol=0.0, atol=0.0, what="dropout(x, p=0.4, training=False)")


def test_kept_values_scaled_by_inverse_keep_probability(sol, ctx):
    _seed(ctx, 0)
    x = _x(ctx, 2, (64, 50))
    kept_in_learner = ctx.send(x)  # the learner's own copy, to see whether it is modified
    sol.dropout(kept_in_learner, 0.3, training=True)
    assert_true(
        torch.equal(kept_in_learner.value(), x),
        "dropout modified its input x in place; return a new tensor (x * mask / (1 - p))",
    )
    out = sol.dropout(x, 0.3, training=True)
    assert_equal(tuple(out.shape), (64, 50), what="dropout(x, 0.3).shape")
    assert_true(out.dtype == x.dtype, f"output dtype {out.dtype}, expected {x.dtype}")
    assert_true(out.device.type == x.device.type, f"output is on {out.device.type}")
    kept = out != 0
    expected = torch.where(kept, x / (1.0 - 0.3), torch.zeros_like(x))
    assert_close(
        out,
        expected,
        rtol=_tol(ctx)[0],
        atol=_tol(ctx)[1],
        what="dropout(x, p=0.3): each output must be 0 or x / (1 - p)",
    )


def test_drop_fraction_is_p(sol, ctx):
    _seed(ctx, 1)
    n = 200_000
    p = 0.3
    out = sol.dropout(torch.ones(n, dtype=_dtype(ctx), device=ctx.device), p, training=True)
    frac = float((out == 0).double().mean())
    bound = 6 * math.sqrt(p * (1 - p) / n)
    assert_true(
        abs(frac - p) < bound,
        f"dropout(ones({n}), p=0.3) zeroed a fraction {frac:.4f} of the elements; expected "
        f"0.3 +- {bound:.4f} (p is the probability to DROP an element)",
    )
    # Each call draws a fresh mask.
    a = sol.dropout(torch.ones(50, 40, dtype=_dtype(ctx), device=ctx.device), 0.5, training=True)
    b = sol.dropout(torch.ones(50, 40, dtype=_dtype(ctx), device=ctx.device), 0.5, training=True)
    assert_true(not torch.equal(a, b), "two calls of dropout returned the same mask")


def test_mean_is_preserved(sol, ctx):
    _seed(ctx, 2)
    n = 200_000
    for p in (0.2, 0.6):
        x = torch.full((n,), 1.7, dtype=_dtype(ctx), device=ctx.device)
        mean = float(sol.dropout(x, p, training=True).double().mean())
        bound = 6 * 1.7 * math.sqrt(p / (1 - p) / n)
        assert_true(
            abs(mean - 1.7) < bound,
            f"mean of dropout(full({n}, 1.7), p={p}) is {mean:.4f}; inverted dropout keeps "
            f"E[output] = 1.7 (+- {bound:.4f})",
        )


def test_p_zero_and_p_one(sol, ctx):
    _seed(ctx, 3)
    x = _x(ctx, 5, (8, 9))
    assert_close(
        sol.dropout(x, 0.0, training=True),
        x,
        rtol=0.0,
        atol=0.0,
        what="dropout(x, p=0.0, training=True) (nothing is dropped)",
    )
    out = sol.dropout(x, 1.0, training=True)
    assert_close(
        out,
        torch.zeros_like(x),
        rtol=0.0,
        atol=0.0,
        what="dropout(x, p=1.0, training=True) (everything is dropped; no nan)",
    )


def _agreement(mask, axis):
    """The fraction of neighbours along `axis` whose keep/drop decisions agree (0.5 if
    independent with p = 0.5, 1.0 if the mask is shared along that axis)."""
    a = np.moveaxis(mask, axis, 0)
    return float((a[1:] == a[:-1]).mean())


def test_mask_is_independent_across_elements(sol, ctx):
    # One mask row broadcast over the batch, or one value per row, is not dropout of "every
    # element independently": neighbours along each axis must agree only half the time.
    _seed(ctx, 4)
    shape = (8, 60, 70)
    out = sol.dropout(torch.ones(shape, dtype=_dtype(ctx), device=ctx.device), 0.5)
    mask = out.detach().to("cpu").numpy() != 0
    for axis, name in enumerate(["batch (dim 0)", "rows (dim 1)", "columns (dim 2)"]):
        pairs = mask.size - mask.size // shape[axis]
        bound = 6 * 0.5 / math.sqrt(pairs)
        agree = _agreement(mask, axis)
        assert_true(
            abs(agree - 0.5) < bound,
            f"dropout(ones{shape}, p=0.5): neighbouring elements along the {name} were both "
            f"kept or both dropped in {agree:.1%} of the pairs, expected 50% +- {bound:.1%}: "
            "draw one random number per element (torch.rand(x.shape)), not one per row/column",
        )


def test_uses_torch_global_generator(sol, ctx):
    # The statement asks for torch's global generator: after the same torch.manual_seed the
    # same mask comes out, after another seed another one (numpy's or Python's random, or a
    # private generator with a fixed seed, do neither).
    x = torch.ones(40, 50, dtype=_dtype(ctx), device=ctx.device)
    masks = []
    for seed in (11, 11, 12):
        _seed(ctx, seed)
        masks.append(sol.dropout(x, 0.5).detach().to("cpu") != 0)
    assert_true(
        torch.equal(masks[0], masks[1]),
        "after torch.manual_seed(11) twice, dropout returned two different masks: draw the mask "
        "from torch's global generator (torch.rand / torch.rand_like / torch.bernoulli)",
    )
    assert_true(
        not torch.equal(masks[0], masks[2]),
        "dropout returned the same mask after torch.manual_seed(11) and torch.manual_seed(12): "
        "use torch's global generator, not a private one with a fixed seed",
    )


def test_does_not_call_dropout(sol, ctx):
    # Read on the AST of the learner's source (aliases and imports resolved), in the judge.
    check_source_rules(
        ctx,
        rule="do not call F.dropout or nn.Dropout",
        names=(
            "torch.nn.functional.dropout",
            "torch.dropout",
            "torch.native_dropout",
            "torch.nn.Dropout",
        ),
    )
