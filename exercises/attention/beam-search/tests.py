import itertools

import numpy as np

from studyapp.core.drills.sandbox.asserts import assert_close, assert_equal, assert_true


def _log_normalise(probs):
    probs = np.asarray(probs, dtype=np.float64)
    return np.log(probs / probs.sum(axis=-1, keepdims=True))


# The toy model is handed to the learner's code, so it lives in the learner's process; the judge
# reads back what it recorded (model.calls) as data.
_MODEL = """
import numpy as np


class TableModel:
    \"\"\"Toy model: the next-token log-probs depend on the last token only (a row of a table).

    It records every prefix it is called with, so the tests can see which beams were expanded.
    \"\"\"

    def __init__(self, logprob_table, eos):
        self.table = np.asarray(logprob_table, dtype=np.float64)
        self.eos = eos
        self.calls = []

    def __call__(self, prefix):
        self.calls.append(list(prefix))
        return self.table[prefix[-1]].copy()
"""


def _TableModel(ctx, table, eos):
    return ctx.define(_MODEL).TableModel(np.asarray(table, dtype=np.float64), eos)


def _random_table(ctx, offset, vocab):
    return _log_normalise(np.exp(ctx.rng(offset).normal(scale=1.5, size=(vocab, vocab))))


def _sequence_logprob(table, tokens):
    return float(sum(table[a, b] for a, b in itertools.pairwise(tokens)))


def _reference_greedy(table, bos, eos, max_len):
    tokens = [bos]
    while len(tokens) - 1 < max_len and tokens[-1] != eos:
        tokens.append(int(np.argmax(table[tokens[-1]])))
    return tokens


def _reference_beam(table, bos, eos, beam_size, max_len, length_penalty):
    """Vectorised beam search (random tables only: it does not handle exact ties)."""
    open_beams, open_scores = [[bos]], np.array([0.0])
    done = []
    for _ in range(max_len):
        if not open_beams:
            break
        scores = open_scores[:, None] + table[[b[-1] for b in open_beams]]
        flat = np.argsort(-scores, axis=None, kind="stable")[:beam_size]
        rows, cols = np.unravel_index(flat, scores.shape)
        new_beams, new_scores = [], []
        for r, c in zip(rows, cols, strict=True):
            seq = open_beams[r] + [int(c)]
            if c == eos:
                done.append((seq, scores[r, c]))
            else:
                new_beams.append(seq)
                new_scores.append(scores[r, c])
        open_beams, open_scores = new_beams, np.array(new_scores)
    done += list(zip(open_beams, open_scores, strict=True))
    normalised = [s / (len(seq) - 1) ** length_penalty for seq, s in done]
    best = int(np.argmax(normalised))
    return done[best][0], float(normalised[best])


# bos = 0, eos = 4. Greedy takes 0 -> 1 (p 0.5) and then wanders among 1s; the path
# 0 -> 2 -> 3 -> eos has probability 0.4 * 0.9 * 0.95 = 0.342 and is found by beam size 2.
_BETTER_THAN_GREEDY = _log_normalise(
    [
        [0.001, 0.50, 0.40, 0.049, 0.05],
        [0.02, 0.30, 0.28, 0.20, 0.20],
        [0.02, 0.03, 0.02, 0.90, 0.03],
        [0.01, 0.01, 0.01, 0.02, 0.95],
        [0.10, 0.10, 0.60, 0.10, 0.10],
    ]
)

# bos = 0, eos = 4. Ending right away is likely (0 -> 1 -> eos: sum -1.16), but the long
# hypothesis 0 -> 1 -> 1 -> 1 -> 1 has the better average log-prob per token.
_LENGTH_MATTERS = _log_normalise(
    [
        [0.01, 0.88, 0.03, 0.03, 0.05],
        [0.01, 0.60, 0.02, 0.02, 0.35],
        [0.20, 0.20, 0.20, 0.20, 0.20],
        [0.20, 0.20, 0.20, 0.20, 0.20],
        [0.20, 0.20, 0.20, 0.20, 0.20],
    ]
)


# bos = 0, eos = 4, beam size 2. After step 2 the global top 2 are [0, 1, 1] (0.25) and
# [0, 2, 2] (0.2475); [0, 2, 3] (0.1575) is pruned although it would end with eos at 0.99.
_GLOBAL_TOP_K = _log_normalise(
    [
        [0.001, 0.50, 0.45, 0.024, 0.025],
        [0.001, 0.50, 0.45, 0.024, 0.025],
        [0.001, 0.05, 0.55, 0.35, 0.049],
        [0.002, 0.002, 0.002, 0.004, 0.99],
        [0.20, 0.20, 0.20, 0.20, 0.20],
    ]
)


def test_greedy_follows_argmax(sol, ctx):
    for offset in (1, 2, 3):
        table = _random_table(ctx, offset, vocab=7)
        table[:, 6] -= 3.0  # make eos rare so the sequences get long
        out = sol.greedy_decode(_TableModel(ctx, table, 6), 0, 6, 8)
        assert_equal(
            list(out),
            _reference_greedy(table, 0, 6, 8),
            what=f"greedy_decode(random table #{offset}, bos=0, eos=6, max_len=8)",
        )


def test_greedy_stops_at_eos_and_breaks_ties_low(sol, ctx):
    # 0 -> 2 -> 3 -> eos(4), and eos's own row would continue with token 2 if it were expanded.
    table = _BETTER_THAN_GREEDY.copy()
    table[0] = _log_normalise([0.01, 0.2, 0.6, 0.09, 0.1])
    out = sol.greedy_decode(_TableModel(ctx, table, 4), 0, 4, 6)
    assert_equal(list(out), [0, 2, 3, 4], what="greedy_decode(..., eos=4, max_len=6)")
    # Exact ties between tokens 1 and 2 everywhere: the lower id wins.
    tied = _log_normalise(np.tile([0.1, 0.4, 0.4, 0.1], (4, 1)))
    out = sol.greedy_decode(_TableModel(ctx, tied, 3), 0, 3, 3)
    assert_equal(list(out), [0, 1, 1, 1], what="greedy_decode with tokens 1 and 2 tied")


def test_beam_size_one_equals_greedy(sol, ctx):
    for offset in (4, 5, 6):
        table = _random_table(ctx, offset, vocab=6)
        greedy = _reference_greedy(table, 0, 5, 7)
        n = len(greedy) - 1
        for length_penalty in (0.0, 1.0):
            tokens, score = sol.beam_search(_TableModel(ctx, table, 5), 0, 5, 1, 7, length_penalty)
            what = f"beam_search(beam_size=1, length_penalty={length_penalty}), table #{offset}"
            assert_equal(list(tokens), greedy, what=what + " tokens (must equal greedy)")
            assert_close(
                float(score),
                _sequence_logprob(table, greedy) / n**length_penalty,
                rtol=ctx.rtol,
                atol=ctx.atol,
                what=what + " score",
            )


def test_beam_finds_better_sequence_than_greedy(sol, ctx):
    table = _BETTER_THAN_GREEDY
    tokens, score = sol.beam_search(_TableModel(ctx, table, 4), 0, 4, 2, 5, 1.0)
    assert_equal(list(tokens), [0, 2, 3, 4], what="beam_search(beam_size=2, max_len=5) tokens")
    assert_close(
        float(score),
        _sequence_logprob(table, [0, 2, 3, 4]) / 3,
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="beam_search(beam_size=2) score = log(0.4 * 0.9 * 0.95) / 3",
    )
    greedy = list(sol.greedy_decode(_TableModel(ctx, table, 4), 0, 4, 5))
    assert_true(
        _sequence_logprob(table, [0, 2, 3, 4]) > _sequence_logprob(table, greedy),
        f"beam search should beat greedy here; greedy returned {greedy}",
    )


def test_top_k_is_global_over_all_beams(sol, ctx):
    model = _TableModel(ctx, _GLOBAL_TOP_K, 4)
    tokens, score = sol.beam_search(model, 0, 4, 2, 3, 0.0)
    assert_equal(list(tokens), [0, 2, 2, 2], what="beam_search(beam_size=2, max_len=3) tokens")
    assert_close(
        float(score),
        float(np.log(0.45 * 0.55 * 0.55)),
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="beam_search(beam_size=2, max_len=3, lp=0) score",
    )
    too_many = [p for p in model.calls if len(p) == 3]
    assert_true(
        len(too_many) <= 2,
        f"step 3 expanded {len(too_many)} hypotheses ({too_many}); "
        "a beam of size 2 holds at most 2",
    )


def test_eos_ends_a_beam_early(sol, ctx):
    model = _TableModel(ctx, _BETTER_THAN_GREEDY, 4)
    sol.beam_search(model, 0, 4, 3, 6, 1.0)
    extended = [p for p in model.calls if 4 in p]
    assert_true(
        not extended,
        "a hypothesis that ended in eos was expanded again: "
        f"the model was called with {extended[:3]}",
    )
    # With length_penalty 0 the short finished hypothesis wins over the still-open ones.
    tokens, score = sol.beam_search(_TableModel(ctx, _LENGTH_MATTERS, 4), 0, 4, 2, 4, 0.0)
    assert_equal(list(tokens), [0, 1, 4], what="beam_search(beam 2, max_len 4, lp 0) tokens")
    assert_close(
        float(score),
        float(np.log(0.88 / 1.0) + np.log(0.35)),
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="beam_search(..., length_penalty=0) score = log p(1) + log p(eos | 1)",
    )


def test_length_penalty_changes_the_winner(sol, ctx):
    tokens, score = sol.beam_search(_TableModel(ctx, _LENGTH_MATTERS, 4), 0, 4, 2, 4, 1.0)
    assert_equal(list(tokens), [0, 1, 1, 1, 1], what="beam_search(lp=1.0) tokens")
    assert_close(
        float(score),
        _sequence_logprob(_LENGTH_MATTERS, [0, 1, 1, 1, 1]) / 4,
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="beam_search(lp=1.0) score = sum of 4 log-probs / 4",
    )


def test_matches_reference_on_random_tables(sol, ctx):
    for offset in (7, 8, 9, 10):
        table = _random_table(ctx, offset, vocab=6)
        for beam_size, length_penalty in ((2, 0.0), (3, 0.7), (3, 1.0)):
            tokens, score = sol.beam_search(
                _TableModel(ctx, table, 5), 0, 5, beam_size, 6, length_penalty
            )
            exp_tokens, exp_score = _reference_beam(table, 0, 5, beam_size, 6, length_penalty)
            what = f"beam_search(table #{offset}, beam_size={beam_size}, lp={length_penalty})"
            assert_equal(list(tokens), exp_tokens, what=what + " tokens")
            assert_close(
                float(score), exp_score, rtol=ctx.rtol, atol=ctx.atol, what=what + " score"
            )


# bos = 0, eos = 3, beam size 2. Step 1 keeps [0, 1] (0.5) and [0, 3] (0.39, finished): the
# finished one takes a beam slot, so only [0, 1] is expanded on step 2, never [0, 2] (0.1).
_EOS_TAKES_A_SLOT = _log_normalise(
    [
        [0.01, 0.50, 0.10, 0.39],
        [0.05, 0.40, 0.30, 0.25],
        [0.02, 0.08, 0.10, 0.80],
        [0.25, 0.25, 0.25, 0.25],
    ]
)

# bos = 0, eos = 3, beam size 2. Step 1: tokens 1, 2 and eos tie at 0.3, and the lower ids win
# the two slots, so [0, 1] and [0, 2] are expanded and [0, 3] is not kept.
_TIE_IN_TOP_K = _log_normalise(
    [
        [0.10, 0.30, 0.30, 0.30],
        [0.10, 0.50, 0.20, 0.20],
        [0.10, 0.20, 0.50, 0.20],
        [0.25, 0.25, 0.25, 0.25],
    ]
)

# bos = 0, eos = 3. [0, 1, 3] and [0, 2, 3] have bit-identical scores (rows 1 and 2 are equal,
# and so are entries 1 and 2 of row 0): the lexicographically smaller [0, 1, 3] must win.
_TIE_AT_THE_END = _log_normalise(
    [
        [0.10, 0.35, 0.35, 0.20],
        [0.10, 0.10, 0.10, 0.70],
        [0.10, 0.10, 0.10, 0.70],
        [0.25, 0.25, 0.25, 0.25],
    ]
)


def _expanded(model, generated):
    """The prefixes with `generated` tokens after bos that the model was called with, sorted."""
    return sorted(p for p in model.calls if len(p) == generated + 1)


def test_finished_hypotheses_use_beam_slots(sol, ctx):
    model = _TableModel(ctx, _EOS_TAKES_A_SLOT, 3)
    tokens, _ = sol.beam_search(model, 0, 3, 2, 3, 0.0)
    expanded = _expanded(model, 1)
    assert_equal(
        expanded,
        [[0, 1]],
        what="the prefixes expanded on step 2 of beam_search(beam_size=2), where step 1's top 2 "
        "were [0, 1] and the finished [0, 3]: a finished hypothesis uses one of the beam_size "
        "slots, so only one hypothesis stays open",
    )
    exp_tokens, _ = _reference_beam(_EOS_TAKES_A_SLOT, 0, 3, 2, 3, 0.0)
    assert_equal(list(tokens), exp_tokens, what="beam_search tokens when eos takes a beam slot")


def test_ties_go_to_the_lexicographically_smaller(sol, ctx):
    model = _TableModel(ctx, _TIE_IN_TOP_K, 3)
    sol.beam_search(model, 0, 3, 2, 2, 0.0)
    assert_equal(
        _expanded(model, 1),
        [[0, 1], [0, 2]],
        what="the prefixes expanded on step 2 when tokens 1, 2 and eos (3) tie on step 1 with "
        "beam_size=2 (ties go to the lower token id)",
    )
    tokens, score = sol.beam_search(_TableModel(ctx, _TIE_AT_THE_END, 3), 0, 3, 2, 2, 0.0)
    assert_equal(
        list(tokens),
        [0, 1, 3],
        what="beam_search tokens when [0, 1, 3] and [0, 2, 3] have equal scores (the "
        "lexicographically smaller list wins)",
    )
    assert_close(
        float(score),
        _sequence_logprob(_TIE_AT_THE_END, [0, 1, 3]),
        rtol=ctx.rtol,
        atol=ctx.atol,
        what="beam_search score of the tied winner [0, 1, 3]",
    )
