import numpy as np

from studyapp.core.drills.sandbox.asserts import assert_equal, assert_true


def _reference(grid):
    """Union-find over 4-neighbours: the number of distinct roots among land cells."""
    rows, cols = len(grid), len(grid[0])
    parent = list(range(rows * cols))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for r in range(rows):
        for c in range(cols):
            if grid[r][c] != "1":
                continue
            if r + 1 < rows and grid[r + 1][c] == "1":
                parent[find(r * cols + c)] = find((r + 1) * cols + c)
            if c + 1 < cols and grid[r][c + 1] == "1":
                parent[find(r * cols + c)] = find(r * cols + c + 1)
    return len({find(r * cols + c) for r in range(rows) for c in range(cols) if grid[r][c] == "1"})


def _grid(rows):
    return [list(row) for row in rows]


def _check(sol, grid, expected=None, label=None):
    if expected is None:
        expected = _reference(grid)
    if label is None:
        label = "[" + ", ".join("".join(row) for row in grid) + "]"
    what = f"num_islands({label})"
    try:
        result = sol.num_islands([row[:] for row in grid])
    except RecursionError:
        assert_true(
            False,
            f"{what} raised RecursionError: a recursive flood fill goes one frame deeper per cell "
            "and Python stops near 1000. Use an explicit stack or a deque.",
        )
    assert_true(
        isinstance(result, int | np.integer) and not isinstance(result, bool),
        f"{what} must return an int, got {type(result).__name__}",
    )
    assert_equal(result, expected, what=what)


def test_example(sol, ctx):
    grid = _grid(["11000", "11000", "00100", "00011"])
    _check(sol, grid, 3)
    _check(sol, _grid(["11110", "11010", "11000", "00000"]), 1)


def test_diagonals_are_not_connected(sol, ctx):
    _check(sol, _grid(["10", "01"]), 2)
    _check(sol, _grid(["101", "010", "101"]), 5)
    checker = _grid(["".join("1" if (r + c) % 2 == 0 else "0" for c in range(6)) for r in range(5)])
    _check(sol, checker, 15)


def test_cells_on_the_border(sol, ctx):
    _check(sol, _grid(["1"]), 1)
    _check(sol, _grid(["0"]), 0)
    _check(sol, _grid(["10101"]), 3)
    _check(sol, _grid(["1", "0", "1", "1"]), 2)
    _check(sol, _grid(["000", "000", "001"]), 1)
    _check(sol, _grid(["001", "000", "110"]), 2)


def test_random_grids(sol, ctx):
    rng = ctx.rng(41)
    for _ in range(40):
        rows, cols = int(rng.integers(1, 12)), int(rng.integers(1, 12))
        land = rng.random((rows, cols)) < rng.uniform(0.3, 0.7)
        _check(sol, [["1" if x else "0" for x in row] for row in land.tolist()])


def test_large_all_land_grid(sol, ctx):
    _check(sol, [["1"] * 300 for _ in range(300)], 1, label="300 x 300 grid of '1'")
    rng = ctx.rng(42)
    land = rng.random((300, 300)) < 0.55
    grid = [["1" if x else "0" for x in row] for row in land.tolist()]
    _check(sol, grid, label="random 300 x 300 grid")
