def num_islands(grid: list[list[str]]) -> int:
    """Count groups of "1" cells connected up/down/left/right (diagonals do not connect)."""
    # TODO: scan every cell; at each unvisited "1", count an island and flood-fill it with an
    # explicit stack or queue (not recursion: a 300 x 300 island is 90 000 cells deep).
    raise NotImplementedError("num_islands is not implemented yet")
