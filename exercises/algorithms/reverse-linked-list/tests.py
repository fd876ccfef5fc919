import itertools

from studyapp.core.judge import assert_equal, assert_true


class ListNode:
    def __init__(self, val=0, next=None):
        self.val = val
        self.next = next


def _build(values):
    """The head of a fresh list with these values, and its nodes in order."""
    nodes = [ListNode(v) for v in values]
    for a, b in itertools.pairwise(nodes):
        a.next = b
    return (nodes[0] if nodes else None), nodes


def _walk(head, cap, what):
    """The nodes reachable from head; fails (instead of looping) after cap steps."""
    seen = []
    node = head
    while node is not None:
        assert_true(
            len(seen) < cap,
            f"{what}: still no None after {cap} steps, but the list has only {cap} nodes: the "
            "result contains a cycle. Is the old head's next still pointing at the second node?",
        )
        assert_true(
            isinstance(node, ListNode),
            f"{what}: found a {type(node).__name__} in the list, expected the original nodes",
        )
        seen.append(node)
        node = node.next
    return seen


def _check(sol, values):
    head, nodes = _build(values)
    if len(values) <= 8:
        what = f"reverse_list({' -> '.join(map(str, values)) or 'None'})"
    else:
        what = f"reverse_list(a list of {len(values)} nodes)"
    try:
        result = sol.reverse_list(head)
    except RecursionError:
        assert_true(
            False,
            f"{what} raised RecursionError on a list of {len(values)} nodes: recursion uses one "
            "stack frame per node and Python stops near 1000. Reverse with a loop.",
        )
    if not values:
        assert_true(result is None, f"{what}: the reverse of an empty list is None, got {result!r}")
        return
    assert_true(result is not None, f"{what} returned None; return the new head (the old tail)")
    walked = _walk(result, len(nodes), what)
    assert_equal(
        [n.val for n in walked][:50],
        list(reversed(values))[:50],
        what=f"{what}: the values read from the returned head (first 50)",
    )
    assert_equal(len(walked), len(nodes), what=f"{what}: the number of nodes in the result")
    assert_true(
        all(a is b for a, b in zip(walked, reversed(nodes), strict=True)),
        f"{what}: the values are right but the nodes are new objects; reverse in place by "
        "relinking the original nodes (the tests check node identity).",
    )


def test_example(sol, ctx):
    _check(sol, [1, 2, 3])
    _check(sol, [1, 2, 3, 4, 5])


def test_empty_and_single_node(sol, ctx):
    _check(sol, [])
    _check(sol, [7])


def test_two_nodes_no_cycle(sol, ctx):
    _check(sol, [1, 2])
    _check(sol, [4, 4])


def test_returns_original_nodes(sol, ctx):
    rng = ctx.rng(21)
    for n in (3, 6, 10):
        _check(sol, rng.integers(-100, 100, size=n).tolist())


def test_long_list(sol, ctx):
    _check(sol, list(range(10_000)))
