import numpy as np


def greedy_decode(step_logprobs_fn, bos, eos, max_len):
    """Append the most likely next token until eos is appended or max_len tokens are generated."""
    tokens = [bos]
    for _ in range(max_len):
        logprobs = np.asarray(step_logprobs_fn(list(tokens)))
        token = int(np.argmax(logprobs))  # argmax returns the lowest id among ties
        tokens.append(token)
        if token == eos:
            break
    return tokens


def beam_search(step_logprobs_fn, bos, eos, beam_size, max_len, length_penalty):
    """Beam search; returns (best tokens including bos, its length-normalised score)."""
    live = [([bos], 0.0)]
    finished = []
    for _ in range(max_len):
        candidates = []
        for tokens, total in live:
            logprobs = np.asarray(step_logprobs_fn(list(tokens)))
            for token, lp in enumerate(logprobs):
                candidates.append(([*tokens, token], total + float(lp)))
        # Global top-k over every (beam, token) pair; ties go to the lexicographically smaller
        # sequence, that is, to the lower token id.
        candidates.sort(key=lambda c: (-c[1], c[0]))
        live = []
        for tokens, total in candidates:  # fills beam_size OPEN slots; eos ones take none
            if len(live) == beam_size:
                break
            if tokens[-1] == eos:
                finished.append((tokens, total))
            else:
                live.append((tokens, total))
        if not live:
            break
    finished.extend(live)  # hypotheses still open after max_len steps compete too

    def score(hyp):
        tokens, total = hyp
        return total / (len(tokens) - 1) ** length_penalty

    best = min(finished, key=lambda h: (-score(h), h[0]))
    return best[0], score(best)
