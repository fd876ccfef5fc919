import numpy as np

from studyapp.core.drills.sandbox.asserts import assert_close, assert_true


def _full_causal(x, w_q, w_k, w_v):
    """The whole sequence at once, with an explicit causal loop."""
    q, k, v = x @ w_q, x @ w_k, x @ w_v
    out = np.empty((x.shape[0], x.shape[1], w_v.shape[1]))
    for t in range(x.shape[1]):
        s = np.einsum("bd,bjd->bj", q[:, t], k[:, : t + 1]) / np.sqrt(q.shape[-1])
        w = np.exp(s - s.max(axis=-1, keepdims=True))
        w /= w.sum(axis=-1, keepdims=True)
        out[:, t] = np.einsum("bj,bjd->bd", w, v[:, : t + 1])
    return out


def _setup(rng, b, t, d, d_k, d_v):
    x = rng.normal(size=(b, t, d))
    w_q = rng.normal(size=(d, d_k)) / np.sqrt(d)
    w_k = rng.normal(size=(d, d_k)) / np.sqrt(d)
    w_v = rng.normal(size=(d, d_v)) / np.sqrt(d)
    return x, w_q, w_k, w_v


def _call(sol, x, w_q, w_k, w_v, ck, cv):
    result = sol.attend_with_cache(x, w_q, w_k, w_v, ck, cv)
    assert_true(
        isinstance(result, tuple) and len(result) == 3,
        "attend_with_cache must return a tuple (out, new_cache_k, new_cache_v)",
    )
    return tuple(np.asarray(r) for r in result)


def test_prefill_equals_full_forward(sol, ctx):
    x, w_q, w_k, w_v = _setup(ctx.rng(1), b=2, t=6, d=8, d_k=4, d_v=5)
    empty_k, empty_v = np.zeros((2, 0, 4)), np.zeros((2, 0, 5))
    out, ck, cv = _call(sol, x, w_q, w_k, w_v, empty_k, empty_v)
    assert_close(
        out,
        _full_causal(x, w_q, w_k, w_v),
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="prefill: attend_with_cache(x (2, 6, 8), empty cache) vs the full causal forward",
    )
    assert_close(
        ck, x @ w_k, rtol=ctx.rtol, atol=ctx.atol, what="new_cache_k after prefill (= x @ w_k)"
    )
    assert_close(
        cv, x @ w_v, rtol=ctx.rtol, atol=ctx.atol, what="new_cache_v after prefill (= x @ w_v)"
    )


def test_token_by_token_decoding(sol, ctx):
    x, w_q, w_k, w_v = _setup(ctx.rng(2), b=2, t=7, d=6, d_k=3, d_v=4)
    expected = _full_causal(x, w_q, w_k, w_v)
    ck, cv = np.zeros((2, 0, 3)), np.zeros((2, 0, 4))
    for t in range(7):
        out, ck, cv = _call(sol, x[:, t : t + 1], w_q, w_k, w_v, ck, cv)
        assert_true(
            ck.shape == (2, t + 1, 3) and cv.shape == (2, t + 1, 4),
            f"after decode step {t} the caches have shapes {ck.shape} and {cv.shape}, expected "
            f"(2, {t + 1}, 3) and (2, {t + 1}, 4): the cache grows by one token per step",
        )
        assert_close(
            out,
            expected[:, t : t + 1],
            rtol=ctx.rtol,
            atol=ctx.atol,
            what=f"decode step {t} output vs row {t} of the full causal forward",
        )


def test_prefill_then_decode(sol, ctx):
    x, w_q, w_k, w_v = _setup(ctx.rng(3), b=3, t=8, d=5, d_k=6, d_v=2)
    expected = _full_causal(x, w_q, w_k, w_v)
    out, ck, cv = _call(sol, x[:, :3], w_q, w_k, w_v, np.zeros((3, 0, 6)), np.zeros((3, 0, 2)))
    pieces = [out]
    # A second chunk of 3 new tokens on top of a 3-token cache, then single tokens.
    out, ck, cv = _call(sol, x[:, 3:6], w_q, w_k, w_v, ck, cv)
    pieces.append(out)
    for t in (6, 7):
        out, ck, cv = _call(sol, x[:, t : t + 1], w_q, w_k, w_v, ck, cv)
        pieces.append(out)
    assert_close(
        np.concatenate(pieces, axis=1),
        expected,
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="outputs of prefill(3) + chunk(3) + decode + decode vs the full causal forward",
    )
    assert_close(
        ck, x @ w_k, rtol=ctx.rtol, atol=ctx.atol, what="final cache_k (all 8 tokens' keys)"
    )


def test_large_scores_need_a_stable_softmax(sol, ctx):
    # A large component shared by every token puts scores at about +-1000.
    rng = ctx.rng(4)
    x, w_q, w_k, w_v = _setup(rng, b=2, t=5, d=6, d_k=3, d_v=3)
    x = x + 30.0 * rng.normal(size=(2, 1, 6))
    expected = _full_causal(x, w_q, w_k, w_v)
    out, ck, cv = _call(sol, x[:, :3], w_q, w_k, w_v, np.zeros((2, 0, 3)), np.zeros((2, 0, 3)))
    pieces = [out]
    for t in (3, 4):
        out, ck, cv = _call(sol, x[:, t : t + 1], w_q, w_k, w_v, ck, cv)
        pieces.append(out)
    outputs = np.concatenate(pieces, axis=1)
    assert_true(
        bool(np.all(np.isfinite(np.asarray(outputs)))),
        "attend_with_cache(...) output contains nan or inf with scores of about +-1000: "
        "exp(1000) overflows and exp(-1000) underflows to 0; "
        "subtract each row's maximum score before np.exp",
    )
    assert_close(
        outputs,
        expected,
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="outputs of prefill(3) + decode + decode with scores of about +-1000",
    )
