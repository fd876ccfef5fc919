import time

from studyapp.core.drills.sandbox.asserts import assert_true


def _reference(capacity, script):
    """Expected get results, from a plain dict kept in least-to-most-recent insertion order."""
    entries = {}
    results = []
    for op in script:
        if op[0] == "get":
            if op[1] in entries:
                entries[op[1]] = entries.pop(op[1])
                results.append(entries[op[1]])
            else:
                results.append(-1)
        else:
            entries.pop(op[1], None)
            entries[op[1]] = op[2]
            if len(entries) > capacity:
                del entries[next(iter(entries))]
    return results


def _describe(op):
    return f"get({op[1]})" if op[0] == "get" else f"put({op[1]}, {op[2]})"


# The learner's cache lives in its process; this driver runs there too, so a script of many
# operations is one call (the judge compares what it returns).
_DRIVER = """
def drive(cache, script):
    got = []
    for op in script:
        if op[0] == "get":
            got.append(cache.get(op[1]))
        else:
            cache.put(op[1], op[2])
    return got
"""


def _first_mismatch(capacity, script, got, expected):
    """The first get whose result differs, with the ten operations leading to it; None if all
    agree. Every test names the operation, so a wrong result in a long script is found too."""
    gets = [i for i, op in enumerate(script) if op[0] == "get"]
    for k, (g, e) in enumerate(zip(got, expected, strict=True)):
        if g != e:
            i = gets[k]
            shown = "; ".join(_describe(op) for op in script[max(0, i - 9) : i + 1])
            prefix = "... " if i > 9 else ""
            return (
                f"LRUCache({capacity}): operation #{i} {_describe(script[i])} returned {g!r}, "
                f"expected {e!r}. Operations up to it: {prefix}{shown}"
            )
    return None


def _run(sol, ctx, capacity, script, expected=None):
    if expected is None:
        expected = _reference(capacity, script)
    got = ctx.define(_DRIVER).drive(sol.LRUCache(capacity), script)
    mismatch = _first_mismatch(capacity, script, got, expected)
    assert_true(mismatch is None, mismatch or "")


def test_example(sol, ctx):
    script = [
        ("put", 1, 1), ("put", 2, 2), ("get", 1), ("put", 3, 3), ("get", 2),
        ("put", 1, 10), ("put", 4, 4), ("get", 1), ("get", 3), ("get", 4),
    ]  # fmt: skip
    _run(sol, ctx, 2, script, [1, -1, 10, -1, 4])


def test_get_refreshes_recency(sol, ctx):
    script = [
        ("put", 1, 1), ("put", 2, 2), ("get", 1), ("put", 3, 3),
        ("get", 2), ("get", 1), ("get", 3),
    ]  # fmt: skip
    _run(sol, ctx, 2, script, [1, -1, 1, 3])
    script = [
        ("put", 1, 1), ("put", 2, 2), ("put", 3, 3), ("get", 1), ("get", 2),
        ("put", 4, 4), ("get", 3), ("get", 1), ("get", 2), ("get", 4),
    ]  # fmt: skip
    _run(sol, ctx, 3, script, [1, 2, -1, 1, 2, 4])


def test_put_existing_key_updates_value_and_recency(sol, ctx):
    script = [("put", 1, 1), ("put", 2, 2), ("put", 1, 10), ("put", 3, 3), ("get", 2), ("get", 1)]
    _run(sol, ctx, 2, script, [-1, 10])
    script = [("put", 1, 1), ("put", 2, 2), ("put", 2, 20), ("get", 1), ("get", 2)]
    _run(sol, ctx, 2, script, [1, 20])  # updating a key in a full cache evicts nothing


def test_capacity_one(sol, ctx):
    script = [
        ("get", 1), ("put", 1, 1), ("get", 1), ("put", 2, 2), ("get", 1), ("get", 2),
        ("put", 2, 5), ("get", 2), ("put", 3, 3), ("get", 2), ("get", 3),
    ]  # fmt: skip
    _run(sol, ctx, 1, script, [-1, 1, -1, 2, 5, -1, 3])


def _random_script(rng, n_ops, n_keys):
    keys = rng.integers(0, n_keys, size=n_ops).tolist()
    values = rng.integers(0, 1000, size=n_ops).tolist()
    is_get = (rng.random(n_ops) < 0.5).tolist()
    return [
        ("get", k) if g else ("put", k, v) for k, v, g in zip(keys, values, is_get, strict=True)
    ]


class _DictCache:
    """Not an LRU cache: a plain dict behind the same interface, to calibrate the budget."""

    def __init__(self, capacity):
        self.entries = {}

    def get(self, key):
        return self.entries.get(key, -1)

    def put(self, key, value):
        self.entries[key] = value


def _drive(cache, script):
    got = []
    for op in script:
        if op[0] == "get":
            got.append(cache.get(op[1]))
        else:
            cache.put(op[1], op[2])
    return got


def test_random_scripts(sol, ctx):
    rng = ctx.rng(31)
    for capacity in (1, 2, 3, 5, 8):
        for _ in range(8):
            _run(sol, ctx, capacity, _random_script(rng, 60, 2 * capacity + 2))


def test_many_operations_are_fast(sol, ctx):
    rng = ctx.rng(32)
    for capacity in (500, 5_000):
        script = _random_script(rng, 100_000, 2 * capacity)
        for key in range(capacity):  # start from a full cache
            script.insert(0, ("put", key, key))

        started = time.perf_counter()
        _drive(_DictCache(capacity), script)  # the same calls on a plain dict: the calibration
        budget = max(0.5, 10 * (time.perf_counter() - started))

        cache = sol.LRUCache(capacity)
        drive = ctx.define(_DRIVER).drive
        kept = ctx.send(script)  # sent before the clock starts
        got, elapsed = ctx.timed(drive, cache, kept)
        expected = _reference(capacity, script)
        mismatch = _first_mismatch(capacity, script, got, expected)
        assert_true(
            mismatch is None,
            f"In a script of {len(script)} operations (starting from a full cache): {mismatch}",
        )
        assert_true(
            elapsed < budget,
            f"{len(script)} operations on LRUCache({capacity}) took {elapsed:.2f} s; the budget "
            f"is {budget:.2f} s. list.remove / list.pop(0) cost O(capacity) per operation; use "
            "an OrderedDict (move_to_end, popitem(last=False)) for O(1).",
        )
