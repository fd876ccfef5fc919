"""The visualizer's maths: every step checked against torch.nn.MultiheadAttention."""

from __future__ import annotations

import math

import numpy as np
import pytest

from studyapp.core.attention.steps import (
    DEFAULT_TOKENS,
    MISTAKES,
    head_block,
    make_inputs,
    merged_column,
    mha_steps,
    split_position,
)

torch = pytest.importorskip("torch")

EXPECTED_KEYS = [
    "x",
    "q",
    "k",
    "v",
    "q_split",
    "q_heads",
    "k_split",
    "k_heads",
    "v_split",
    "v_heads",
    "scores",
    "scaled",
    "masked",
    "weights",
    "context",
    "merge_transpose",
    "merged",
    "output",
]


def torch_reference(
    x: np.ndarray,
    wq: np.ndarray,
    wk: np.ndarray,
    wv: np.ndarray,
    wo: np.ndarray,
    heads: int,
    causal: bool,
    padding: np.ndarray | None,
) -> tuple[np.ndarray, np.ndarray]:
    """Output and per-head weights of torch's own layer with our weights copied in."""
    d_model = x.shape[-1]
    layer = torch.nn.MultiheadAttention(
        d_model, heads, bias=False, batch_first=True, dtype=torch.float64
    )
    with torch.no_grad():
        # torch computes x @ W.T, our steps x @ W.
        layer.in_proj_weight.copy_(torch.from_numpy(np.concatenate([wq.T, wk.T, wv.T])))
        layer.out_proj.weight.copy_(torch.from_numpy(wo.T))
    seq_len = x.shape[1]
    attn_mask = (
        torch.ones(seq_len, seq_len, dtype=torch.bool).triu(1) if causal else None
    )  # True = not allowed
    t = torch.from_numpy(x)
    out, weights = layer(
        t,
        t,
        t,
        attn_mask=attn_mask,
        key_padding_mask=None if padding is None else torch.from_numpy(padding),
        need_weights=True,
        average_attn_weights=False,
    )
    return out.detach().numpy(), weights.detach().numpy()


@pytest.mark.parametrize("trial", range(12))
def test_output_and_per_head_weights_equal_torch(trial: int) -> None:
    rng = np.random.default_rng(trial)
    heads = int(rng.integers(1, 5))
    head_dim = int(rng.integers(1, 6))
    batch, seq_len = int(rng.integers(1, 4)), int(rng.integers(1, 9))
    d_model = heads * head_dim
    causal = bool(trial % 2)
    x = rng.normal(size=(batch, seq_len, d_model))
    wq, wk, wv, wo = (rng.normal(size=(d_model, d_model)) for _ in range(4))
    padding = None
    if trial % 3 == 2 and seq_len > 1:
        padding = np.zeros((batch, seq_len), dtype=bool)
        padding[:, -1] = True  # key 0 stays visible, so no query is left without keys
    steps = mha_steps(x, wq, wk, wv, wo, heads, causal=causal, key_padding_mask=padding)
    out, weights = torch_reference(x, wq, wk, wv, wo, heads, causal, padding)
    by_key = {s.key: s for s in steps}
    np.testing.assert_allclose(steps[-1].array, out, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(by_key["weights"].array, weights, rtol=1e-6, atol=1e-6)


def test_every_step_has_its_shape_axes_code_and_explanation() -> None:
    inputs = make_inputs(DEFAULT_TOKENS, batch=2, d_model=6, seed=0)
    steps = mha_steps(inputs.x, inputs.wq, inputs.wk, inputs.wv, inputs.wo, 3)
    assert [s.key for s in steps] == EXPECTED_KEYS
    b, s, d, h, dh = 2, 4, 6, 3, 2
    shapes = {
        "x": (b, s, d),
        "q": (b, s, d),
        "q_split": (b, s, h, dh),
        "q_heads": (b, h, s, dh),
        "scores": (b, h, s, s),
        "weights": (b, h, s, s),
        "context": (b, h, s, dh),
        "merge_transpose": (b, s, h, dh),
        "merged": (b, s, d),
        "output": (b, s, d),
    }
    by_key = {step.key: step for step in steps}
    for key, shape in shapes.items():
        assert by_key[key].shape == shape, key
    assert by_key["q_heads"].axes == ("batch", "head", "seq", "head_dim")
    assert by_key["scores"].axes == ("batch", "head", "query", "key")
    assert by_key["q_split"].badge() == "batch 2 × seq 4 × head 3 × head_dim 2"
    for step in steps:
        assert len(step.axes) == step.array.ndim
        assert step.numpy_code and step.torch_code
        assert step.explanation["en"] and step.explanation["ru"]
        assert not step.array.flags.writeable  # steps are immutable
    assert by_key["x"].title("ru") == "Вход X"
    assert by_key["k_heads"].title("ru") == "Головы K: transpose в (B, H, S, Dh)"
    assert all(s.title("ru") != s.name for s in steps if s.key not in ("q", "k", "v"))
    assert "transpose(1, 2)" in by_key["q_heads"].torch_code
    assert "sqrt(Dh)" in by_key["scaled"].numpy_code


def test_weights_rows_sum_to_one_and_causal_hides_the_future() -> None:
    inputs = make_inputs(DEFAULT_TOKENS, batch=1, d_model=6, seed=3)
    steps = mha_steps(inputs.x, inputs.wq, inputs.wk, inputs.wv, inputs.wo, 3, causal=True)
    weights = {s.key: s for s in steps}["weights"].array
    np.testing.assert_allclose(weights.sum(axis=-1), 1.0)
    assert np.all(np.triu(weights[0, 0], 1) == 0)


def test_split_and_merge_index_mapping() -> None:
    inputs = make_inputs(DEFAULT_TOKENS, batch=1, d_model=8, seed=1)
    steps = {s.key: s for s in mha_steps(inputs.x, inputs.wq, inputs.wk, inputs.wv, inputs.wo, 2)}
    q, q_heads = steps["q"].array, steps["q_heads"].array
    head_dim = 4
    for column in range(8):
        head, dim = split_position(column, head_dim)
        assert merged_column(head, dim, head_dim) == column
        np.testing.assert_array_equal(q[0, :, column], q_heads[0, head, :, dim])
    # A head's projection is a column block of the fused weight matrix.
    np.testing.assert_allclose(inputs.x @ inputs.wq[:, head_block(1, head_dim)], q_heads[:, 1])


@pytest.mark.parametrize("mistake", sorted(MISTAKES))
def test_each_mistake_changes_the_output(mistake: str) -> None:
    inputs = make_inputs(DEFAULT_TOKENS, batch=1, d_model=6, seed=2)
    args = (inputs.x, inputs.wq, inputs.wk, inputs.wv, inputs.wo, 3)
    right = mha_steps(*args, causal=True)
    wrong = mha_steps(*args, causal=True, mistake=mistake)
    assert [s.key for s in wrong] == [s.key for s in right]
    assert not np.allclose(wrong[-1].array, right[-1].array)


def test_scale_by_d_model_is_off_by_the_expected_factor() -> None:
    inputs = make_inputs(DEFAULT_TOKENS, batch=1, d_model=8, seed=2)
    args = (inputs.x, inputs.wq, inputs.wk, inputs.wv, inputs.wo, 4)
    right = {s.key: s.array for s in mha_steps(*args)}
    wrong = {s.key: s.array for s in mha_steps(*args, mistake="scale_by_d_model")}
    np.testing.assert_allclose(right["scaled"] / wrong["scaled"], math.sqrt(8) / math.sqrt(2))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"heads": 4}, "not divisible by heads"),
        ({"heads": 0}, "at least 1"),
        ({"wq": np.zeros((6, 5))}, "wq must have shape (6, 6)"),
        ({"x": np.zeros((4, 6))}, "(batch, seq_len, d_model)"),
        ({"wv": np.full((6, 6), np.nan)}, "wv contains NaN"),
        ({"key_padding_mask": np.ones((1, 4), dtype=bool)}, "no key to attend to"),
        ({"key_padding_mask": np.zeros((1, 3), dtype=bool)}, "key_padding_mask must be"),
        ({"mistake": "typo"}, "unknown mistake"),
    ],
)
def test_invalid_input_is_refused_with_a_clear_message(change: dict, message: str) -> None:
    inputs = make_inputs(DEFAULT_TOKENS, batch=1, d_model=6, seed=0)
    args = {
        "x": inputs.x,
        "wq": inputs.wq,
        "wk": inputs.wk,
        "wv": inputs.wv,
        "wo": inputs.wo,
        "heads": 3,
    }
    args.update(change)
    with pytest.raises(ValueError, match=None) as info:
        mha_steps(**args)
    assert message in str(info.value)


def test_same_token_same_embedding_and_padding_marks_the_last_sequence() -> None:
    inputs = make_inputs(["a", "b", "a"], batch=2, d_model=4, seed=5, padding=1)
    np.testing.assert_array_equal(inputs.x[0, 0], inputs.x[0, 2])
    assert inputs.key_padding_mask is not None
    assert inputs.key_padding_mask.tolist() == [[False, False, False], [False, False, True]]
    with pytest.raises(ValueError, match="padding must be between"):
        make_inputs(["a"], batch=1, d_model=4, seed=0, padding=1)
