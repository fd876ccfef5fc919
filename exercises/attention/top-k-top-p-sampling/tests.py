import numpy as np

from studyapp.core.drills.sandbox.asserts import assert_close, assert_equal, assert_true


def _reference(logits, temperature, top_k, top_p):
    """Written from the statement with Python sorting, one token at a time."""
    z = np.asarray(logits, dtype=np.float64) / temperature
    p = np.exp(z - z.max())
    p /= p.sum()
    ranked = sorted(range(len(p)), key=lambda i: -p[i])
    if top_k > 0:
        ranked = ranked[:top_k]
    mass = sum(p[i] for i in ranked)
    kept, total = [], 0.0
    for i in ranked:
        kept.append(i)
        total += p[i] / mass
        if total >= top_p:
            break
    out = np.zeros_like(p)
    out[kept] = p[kept]
    return out / out.sum()


def _logits(ctx, offset, v=12, scale=1.5):
    return ctx.rng(offset).normal(scale=scale, size=v)


def test_worked_example(sol, ctx):
    logits = np.log([0.5, 0.3, 0.15, 0.05])
    assert_close(
        sol.filtered_probs(logits, 1.0, 0, 0.7),
        np.array([0.625, 0.375, 0.0, 0.0]),
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="filtered_probs(log([0.5, 0.3, 0.15, 0.05]), T=1, top_k=0, top_p=0.7)",
    )


def test_temperature_before_softmax(sol, ctx):
    logits = _logits(ctx, 1)
    for temperature in (0.5, 2.0):
        assert_close(
            sol.filtered_probs(logits, temperature, 0, 1.0),
            _reference(logits, temperature, 0, 1.0),
            rtol=ctx.rtol,
            atol=ctx.atol,
            what=f"filtered_probs(logits, T={temperature}, no top-k, no top-p) = softmax(logits/T)",
        )


def test_top_k_and_top_p_match_reference(sol, ctx):
    for offset, (temperature, top_k, top_p) in enumerate(
        [(1.0, 5, 1.0), (0.8, 0, 0.9), (1.3, 6, 0.75), (1.0, 0, 0.5)]
    ):
        logits = _logits(ctx, 10 + offset)
        assert_close(
            sol.filtered_probs(logits, temperature, top_k, top_p),
            _reference(logits, temperature, top_k, top_p),
            rtol=ctx.rtol,
            atol=ctx.atol,
            what=f"filtered_probs(logits, T={temperature}, top_k={top_k}, top_p={top_p})",
        )


def test_top_token_always_kept(sol, ctx):
    # The top token alone has probability > top_p: the nucleus is exactly that token.
    logits = np.array([0.3, 4.0, -1.0, 1.2, 0.0])
    expected = np.zeros(5)
    expected[1] = 1.0
    assert_close(
        sol.filtered_probs(logits, 1.0, 0, 0.3),
        expected,
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="filtered_probs([0.3, 4.0, -1.0, 1.2, 0.0], top_p=0.3): only the top token remains",
    )


def test_top_k_1_is_argmax(sol, ctx):
    logits = _logits(ctx, 20, v=30)
    rng = ctx.remote("numpy").random.default_rng(7)  # handed to the code
    draws = set(ctx.call_many(sol, [("sample", (logits, 1.7, 1, 1.0, rng))] * 50))
    assert_equal(draws, {int(np.argmax(logits))}, what="the set of tokens drawn with top_k = 1")


def test_never_samples_outside_the_nucleus(sol, ctx):
    logits = _logits(ctx, 21, v=20, scale=1.0)
    allowed = set(np.flatnonzero(_reference(logits, 0.9, 0, 0.6)).tolist())
    rng = ctx.remote("numpy").random.default_rng(11)
    draws = ctx.call_many(sol, [("sample", (logits, 0.9, 0, 0.6, rng))] * 3000)  # one round trip
    assert_true(
        all(isinstance(t, int | np.integer) for t in draws[:5]),
        f"sample must return an int token id, got {type(draws[0]).__name__}",
    )
    outside = sorted(set(draws) - allowed)
    assert_true(
        not outside,
        f"sample drew tokens {outside} outside the nucleus {sorted(allowed)} (T=0.9, top_p=0.6)",
    )
    assert_true(
        len(set(draws)) > 1,
        f"3000 calls of sample with one rng all returned token {draws[0]}, although the nucleus "
        f"holds {sorted(allowed)}: each call must make a new draw from the rng it is given",
    )
    missing = sorted(allowed - set(draws))
    assert_true(
        not missing,
        f"in 3000 draws sample never drew the nucleus tokens {missing}: are they removed?",
    )


def test_draws_only_from_the_given_rng(sol, ctx):
    # Two generators with the same seed must give the same draws, and another seed other
    # draws: np.random's global state, a fresh default_rng() or a fixed seed do not.
    logits = _logits(ctx, 22, v=15, scale=0.8)
    numpy_there = ctx.remote("numpy")
    runs = []
    for seed in (5, 5, 6):
        rng = numpy_there.random.default_rng(seed)
        runs.append(ctx.call_many(sol, [("sample", (logits, 1.0, 0, 0.95, rng))] * 200))
    assert_true(
        runs[0] == runs[1],
        "two generators made with np.random.default_rng(5) gave different draws: draw only "
        "from the rng argument (e.g. rng.choice(V, p=probs)), never np.random.* or a new "
        "generator",
    )
    assert_true(
        runs[0] != runs[2],
        "np.random.default_rng(5) and np.random.default_rng(6) gave the same 200 draws: draw "
        "from the rng argument, not from a generator with a fixed seed",
    )
