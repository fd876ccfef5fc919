import numpy as np

from studyapp.core.drills.sandbox.asserts import assert_close, assert_true


def _reference(q, k, v, lengths):
    """One batch element at a time, attending only over its real keys."""
    b, t_q, d_k = q.shape
    t_k = k.shape[1]
    out = np.empty((b, t_q, v.shape[-1]))
    weights = np.zeros((b, t_q, t_k))
    for i in range(b):
        n = int(lengths[i])
        s = q[i] @ k[i, :n].T / np.sqrt(d_k)
        w = np.exp(s - s.max(axis=-1, keepdims=True))
        w /= w.sum(axis=-1, keepdims=True)
        weights[i, :, :n] = w
        out[i] = w @ v[i, :n]
    return out, weights


def _inputs(rng, b, t_q, t_k, d_k, d_v):
    q = rng.normal(scale=0.6, size=(b, t_q, d_k))
    k = rng.normal(scale=0.6, size=(b, t_k, d_k))
    v = rng.normal(size=(b, t_k, d_v))
    return q, k, v


def _shift_scores(q, k, offsets):
    """Copies of q and k whose scores in batch b are moved by offsets[b] (e.g. +-1000), their
    spread unchanged: feature 0 of every query and key carries the offset. exp(1000) overflows
    and exp(-1000) underflows in float64, so only a softmax that subtracts each row's maximum
    gets these weights right, and they are the same weights as without the offset."""
    q, k = q.copy(), k.copy()
    for b, offset in enumerate(offsets):
        c = np.sqrt(abs(offset) * np.sqrt(q.shape[-1]))
        q[b, :, 0] = c
        k[b, :, 0] = np.sign(offset) * c
    return q, k


def _call(sol, *args):
    result = sol.padded_attention(*args)
    assert_true(
        isinstance(result, tuple) and len(result) == 2,
        f"padded_attention must return a tuple (output, weights), got {type(result).__name__}",
    )
    return np.asarray(result[0]), np.asarray(result[1])


def test_matches_reference(sol, ctx):
    q, k, v = _inputs(ctx.rng(1), b=3, t_q=4, t_k=6, d_k=8, d_v=5)
    lengths = np.array([6, 3, 1])
    out, weights = _call(sol, q, k, v, lengths)
    ref_out, ref_w = _reference(q, k, v, lengths)
    assert_close(
        weights, ref_w, rtol=ctx.rtol, atol=ctx.atol, what="weights, lengths = [6, 3, 1], T_k = 6"
    )
    assert_close(
        out, ref_out, rtol=ctx.rtol, atol=ctx.atol, what="output, lengths = [6, 3, 1], T_k = 6"
    )


def test_padded_keys_get_exactly_zero_weight(sol, ctx):
    q, k, v = _inputs(ctx.rng(2), b=2, t_q=5, t_k=5, d_k=4, d_v=3)
    lengths = np.array([2, 4])
    _, weights = _call(sol, q, k, v, lengths)
    for b, n in enumerate(lengths):
        padded = weights[b, :, n:]
        assert_true(
            bool(np.all(padded == 0.0)),
            f"weights[{b}, :, {n}:] (padded keys of a length-{n} sequence) must be exactly 0.0, "
            f"largest is {float(np.max(np.abs(padded))):.3g}",
        )
    assert_close(
        weights.sum(axis=-1),
        np.ones((2, 5)),
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="weights.sum(axis=-1): each query's weights over the real keys must sum to 1",
    )


def test_padding_content_does_not_matter(sol, ctx):
    rng = ctx.rng(3)
    q, k, v = _inputs(rng, b=3, t_q=3, t_k=7, d_k=6, d_v=4)
    lengths = np.array([5, 7, 2])
    out, _ = _call(sol, q, k, v, lengths)
    k2, v2 = k.copy(), v.copy()
    for b, n in enumerate(lengths):
        k2[b, n:] = rng.normal(scale=5.0, size=k2[b, n:].shape)
        v2[b, n:] = 1e4
    out2, _ = _call(sol, q, k2, v2, lengths)
    assert_close(
        out2,
        out,
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="output after replacing the padded keys and values (lengths [5, 7, 2])",
    )


def test_full_length_equals_plain_attention(sol, ctx):
    q, k, v = _inputs(ctx.rng(4), b=2, t_q=3, t_k=4, d_k=5, d_v=2)
    s = np.einsum("bqd,bkd->bqk", q, k) / np.sqrt(5)
    w = np.exp(s - s.max(axis=-1, keepdims=True))
    w /= w.sum(axis=-1, keepdims=True)
    out, _ = _call(sol, q, k, v, np.array([4, 4]))
    assert_close(
        out,
        w @ v,
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="output with no padding (lengths = T_k) vs plain attention",
    )


def test_large_scores_need_a_stable_softmax(sol, ctx):
    # Batch 0's scores lie near +1000, batch 1's near -1000; batch 1 is padded.
    q, k, v = _inputs(ctx.rng(6), b=2, t_q=3, t_k=5, d_k=6, d_v=4)
    q, k = _shift_scores(q, k, [1000.0, -1000.0])
    lengths = np.array([5, 3])
    out, weights = _call(sol, q, k, v, lengths)
    assert_true(
        bool(np.all(np.isfinite(out))),
        "padded_attention(q, k, v, lengths)[0] contains nan or inf with scores near +-1000: "
        "exp(1000) overflows and exp(-1000) underflows to 0; "
        "subtract each row's maximum score before np.exp",
    )
    expected_out, expected_weights = _reference(q, k, v, lengths)
    assert_close(
        weights,
        expected_weights,
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="padded_attention(...)[1] (weights) with scores near +1000 and -1000",
    )
    assert_close(
        out,
        expected_out,
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="padded_attention(...)[0] (output) with scores near +1000 and -1000",
    )
