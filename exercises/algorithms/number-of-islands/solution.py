def num_islands(grid: list[list[str]]) -> int:
    """Iterative flood fill with an explicit stack; visited land is overwritten with "0"."""
    rows, cols = len(grid), len(grid[0]) if grid else 0
    count = 0
    for r0 in range(rows):
        for c0 in range(cols):
            if grid[r0][c0] != "1":
                continue
            count += 1
            grid[r0][c0] = "0"
            stack = [(r0, c0)]
            while stack:
                r, c = stack.pop()
                for nr, nc in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)):
                    if 0 <= nr < rows and 0 <= nc < cols and grid[nr][nc] == "1":
                        grid[nr][nc] = "0"
                        stack.append((nr, nc))
    return count
