import math

import numpy as np

from studyapp.core.drills.sandbox.asserts import assert_close, assert_true
from studyapp.core.drills.sandbox.source_rules import check_source_rules


def _reference(seq_len, d_model):
    """Element by element from the formula."""
    pe = np.empty((seq_len, d_model))
    for pos in range(seq_len):
        for col in range(d_model):
            i = col // 2
            angle = pos / 10000.0 ** (2 * i / d_model)
            pe[pos, col] = math.sin(angle) if col % 2 == 0 else math.cos(angle)
    return pe


def test_shape_and_dtype(sol, ctx):
    pe = sol.sinusoidal_positional_encoding(7, 10)
    assert_true(isinstance(pe, np.ndarray), f"expected a numpy array, got {type(pe).__name__}")
    assert_true(pe.shape == (7, 10), f"the result has shape {pe.shape}, expected (T, d) = (7, 10)")
    assert_true(pe.dtype == np.float64, f"the result has dtype {pe.dtype}, expected float64")


def test_position_zero_is_0_1_0_1(sol, ctx):
    pe = np.asarray(sol.sinusoidal_positional_encoding(4, 8))
    assert_close(
        pe[0],
        np.tile([0.0, 1.0], 4),
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="sinusoidal_positional_encoding(4, 8)[0] (sin(0) = 0 on even, cos(0) = 1 on odd)",
    )


def test_spot_values(sol, ctx):
    # pos 5, d = 16: column 6 is sin(5 / 10000^(6/16)), column 7 is cos of the same angle.
    pe = np.asarray(sol.sinusoidal_positional_encoding(8, 16))
    angle = 5 / 10000.0 ** (6 / 16)
    assert_close(
        np.array([pe[5, 6], pe[5, 7]]),
        np.array([math.sin(angle), math.cos(angle)]),
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="PE[5, 6] and PE[5, 7] for d_model = 16 (both use the angle 5 / 10000^(6/16))",
    )


def test_matches_formula(sol, ctx):
    for seq_len, d_model in [(12, 6), (50, 32)]:
        assert_close(
            sol.sinusoidal_positional_encoding(seq_len, d_model),
            _reference(seq_len, d_model),
            rtol=ctx.rtol,
            atol=ctx.atol,
            what=f"sinusoidal_positional_encoding({seq_len}, {d_model})",
        )


def test_pairs_lie_on_the_unit_circle(sol, ctx):
    # Columns 2i and 2i+1 are sin and cos of the same angle, so sin^2 + cos^2 = 1 per pair.
    pe = np.asarray(sol.sinusoidal_positional_encoding(30, 20))
    assert_close(
        pe[:, 0::2] ** 2 + pe[:, 1::2] ** 2,
        np.ones((30, 10)),
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="PE[:, 2i]^2 + PE[:, 2i+1]^2 (each pair shares one angle)",
    )


def test_numpy_only(sol, ctx):
    # Read on the AST of the learner's source (aliases and imports resolved), in the judge.
    check_source_rules(ctx, rule="numpy only", modules=("torch", "scipy", "sklearn", "jax"))
