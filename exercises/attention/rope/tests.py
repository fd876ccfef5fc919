import math

import numpy as np

from studyapp.core.drills.sandbox.asserts import assert_close, assert_true


def _reference(x, positions, base=10000.0):
    """A 2x2 rotation matrix per (position, pair), applied in loops."""
    out = np.array(x, dtype=np.float64, copy=True)
    d = x.shape[-1]
    for t, m in enumerate(positions):
        for i in range(d // 2):
            phi = m * base ** (-2 * i / d)
            rot = np.array([[math.cos(phi), -math.sin(phi)], [math.sin(phi), math.cos(phi)]])
            pair = x[..., t, 2 * i : 2 * i + 2]
            out[..., t, 2 * i : 2 * i + 2] = pair @ rot.T
    return out


def _rope_one(sol, vec, m):
    return np.asarray(sol.apply_rope(vec[None, :], np.array([m])))[0]


def test_worked_example_pairing_and_direction(sol, ctx):
    x = np.array([[[1.0, 0.0, 1.0, 0.0]]])
    expected = np.array([[[math.cos(1.0), math.sin(1.0), math.cos(0.01), math.sin(0.01)]]])
    assert_close(
        sol.apply_rope(x, np.array([1])),
        expected,
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="apply_rope([1, 0, 1, 0], position 1): pair (0, 1) by 1 rad, pair (2, 3) by 0.01 rad",
    )


def test_position_zero_is_identity(sol, ctx):
    x = ctx.rng(1).normal(size=(2, 1, 8))
    assert_close(
        sol.apply_rope(x, np.array([0])),
        x,
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="apply_rope(x, position 0) (every angle is 0)",
    )


def test_matches_reference(sol, ctx):
    rng = ctx.rng(2)
    x = rng.normal(size=(2, 3, 5, 8))  # (B, H, T, d)
    positions = np.array([0, 1, 2, 7, 30])
    out = sol.apply_rope(x, positions)
    assert_close(
        out,
        _reference(x, positions),
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="apply_rope(x (2, 3, 5, 8), positions [0, 1, 2, 7, 30])",
    )
    # The learner's code sees its own copy of x: keep one there and read it back afterwards.
    kept = ctx.send(x)
    sol.apply_rope(kept, positions)
    assert_true(
        np.array_equal(kept.value(), x),
        "apply_rope modified its input x in place; write the result into a new array",
    )
    x2 = rng.normal(size=(1, 4, 16))
    assert_close(
        sol.apply_rope(x2, np.arange(4), base=100.0),
        _reference(x2, np.arange(4), base=100.0),
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="apply_rope(x (1, 4, 16), positions 0..3, base=100)",
    )


def test_preserves_norm(sol, ctx):
    x = ctx.rng(3).normal(size=(3, 6, 10))
    out = np.asarray(sol.apply_rope(x, np.array([0, 3, 5, 11, 100, 2048])))
    assert_close(
        np.linalg.norm(out, axis=-1),
        np.linalg.norm(x, axis=-1),
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="||apply_rope(x)|| per token (a rotation preserves the norm)",
    )


def test_dot_product_depends_only_on_offset(sol, ctx):
    rng = ctx.rng(4)
    q, k = rng.normal(size=12), rng.normal(size=12)
    for m, n, shift in [(5, 2, 7), (3, 9, 40), (0, 4, 13)]:
        base_dot = float(_rope_one(sol, q, m) @ _rope_one(sol, k, n))
        shifted = float(_rope_one(sol, q, m + shift) @ _rope_one(sol, k, n + shift))
        assert_close(
            shifted,
            base_dot,
            rtol=ctx.rtol,
            atol=1e-10,
            what=f"<R_{m + shift} q, R_{n + shift} k> vs <R_{m} q, R_{n} k> (same offset m - n)",
        )
