def greedy_decode(step_logprobs_fn, bos, eos, max_len):
    """Greedy decoding.

    step_logprobs_fn(prefix: list[int]) -> np.ndarray (V,) of log-probabilities of the next token.
    Start from [bos]; append the argmax token (lowest id on ties) until eos has been appended or
    max_len tokens have been generated. Returns the list of ints, bos first.
    """
    # TODO: loop at most max_len times; stop right after appending eos.
    raise NotImplementedError("greedy_decode is not implemented yet")


def beam_search(step_logprobs_fn, bos, eos, beam_size, max_len, length_penalty):
    """Beam search.

    Keep the beam_size best (beam, token) extensions over ALL live beams at each step; a
    hypothesis that ends in eos is set aside as finished and never extended. After at most max_len
    steps, every finished or still-open hypothesis is scored as
    sum(log-probs) / n ** length_penalty, n = number of generated tokens (bos not counted, eos
    counted). Returns (best tokens as a list of ints with bos first, its score as a float).
    Ties: the lexicographically smaller token list wins.
    """
    # TODO: expand, global top-k, set finished hypotheses aside, score with the length penalty.
    raise NotImplementedError("beam_search is not implemented yet")
