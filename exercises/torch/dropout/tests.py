import math

import torch

from studyapp.core.judge import assert_close, assert_equal, assert_true


def _dtype(ctx):
    # MPS has no float64; everywhere else the tests run in float64.
    return torch.float32 if ctx.device == "mps" else torch.float64


def _x(ctx, offset, shape):
    """Values with |x| in [0.5, 2]: an output of exactly 0 can only mean "dropped"."""
    rng = ctx.rng(offset)
    magnitude = rng.uniform(0.5, 2.0, size=shape)
    sign = rng.choice([-1.0, 1.0], size=shape)
    return torch.tensor(magnitude * sign, dtype=_dtype(ctx), device=ctx.device)


def test_eval_is_identity(sol, ctx):
    x = _x(ctx, 1, (4, 6))
    out = sol.dropout(x, 0.4, training=False)
    assert_close(out, x, rtol=0.0, atol=0.0, what="dropout(x, p=0.4, training=False)")


def test_kept_values_scaled_by_inverse_keep_probability(sol, ctx):
    torch.manual_seed(0)
    x = _x(ctx, 2, (64, 50))
    before = x.clone()
    out = sol.dropout(x, 0.3, training=True)
    assert_true(torch.equal(x, before), "dropout modified its input x in place")
    assert_equal(tuple(out.shape), (64, 50), what="dropout(x, 0.3).shape")
    assert_true(out.dtype == x.dtype, f"output dtype {out.dtype}, expected {x.dtype}")
    assert_true(out.device.type == x.device.type, f"output is on {out.device.type}")
    kept = out != 0
    expected = torch.where(kept, x / (1.0 - 0.3), torch.zeros_like(x))
    assert_close(
        out,
        expected,
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="dropout(x, p=0.3): each output must be 0 or x / (1 - p)",
    )


def test_drop_fraction_is_p(sol, ctx):
    torch.manual_seed(1)
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
    torch.manual_seed(2)
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
    torch.manual_seed(3)
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
