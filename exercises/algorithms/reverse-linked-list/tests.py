from studyapp.core.drills.sandbox.asserts import assert_equal, assert_true

# The nodes live in the learner's process (the judge reaches them through handles); these
# helpers run there to build a list and to walk a result without one round trip per node.
_NODES = """
import itertools


class ListNode:
    def __init__(self, val=0, next=None):
        self.val = val
        self.next = next


def build(values):
    nodes = [ListNode(v) for v in values]
    for a, b in itertools.pairwise(nodes):
        a.next = b
    return (nodes[0] if nodes else None), [id(n) for n in nodes]


def walk(head, cap):
    values, ids, node = [], [], head
    while node is not None:
        if len(ids) >= cap:
            return {"cycle": True, "values": values, "ids": ids, "stranger": ""}
        if not isinstance(node, ListNode):
            return {"cycle": False, "values": values, "ids": ids, "stranger": type(node).__name__}
        values.append(node.val)
        ids.append(id(node))
        node = node.next
    return {"cycle": False, "values": values, "ids": ids, "stranger": ""}
"""


def _walk(helpers, head, cap, what):
    """The values and node ids reachable from head; fails (instead of looping) after cap steps."""
    walked = helpers.walk(head, cap)
    assert_true(
        not walked["cycle"],
        f"{what}: still no None after {cap} steps, but the list has only {cap} nodes: the "
        "result contains a cycle. Is the old head's next still pointing at the second node?",
    )
    assert_true(
        not walked["stranger"],
        f"{what}: found a {walked['stranger']} in the list, expected the original nodes",
    )
    return walked


def _check(sol, ctx, values):
    helpers = ctx.define(_NODES)
    head, nodes = helpers.build(values)
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
    walked = _walk(helpers, result, len(nodes), what)
    assert_equal(
        walked["values"][:50],
        list(reversed(values))[:50],
        what=f"{what}: the values read from the returned head (first 50)",
    )
    assert_equal(len(walked["ids"]), len(nodes), what=f"{what}: the number of nodes in the result")
    assert_true(
        walked["ids"] == list(reversed(nodes)),
        f"{what}: the values are right but the nodes are new objects; reverse in place by "
        "relinking the original nodes (the tests check node identity).",
    )


def test_example(sol, ctx):
    _check(sol, ctx, [1, 2, 3])
    _check(sol, ctx, [1, 2, 3, 4, 5])


def test_empty_and_single_node(sol, ctx):
    _check(sol, ctx, [])
    _check(sol, ctx, [7])


def test_two_nodes_no_cycle(sol, ctx):
    _check(sol, ctx, [1, 2])
    _check(sol, ctx, [4, 4])


def test_returns_original_nodes(sol, ctx):
    rng = ctx.rng(21)
    for n in (3, 6, 10):
        _check(sol, ctx, rng.integers(-100, 100, size=n).tolist())


def test_long_list(sol, ctx):
    _check(sol, ctx, list(range(10_000)))
