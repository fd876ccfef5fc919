def num_islands(grid):
    rows, cols = len(grid), len(grid[0])
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
                for dr in (-1, 0, 1):  # the bug: all eight neighbours, diagonals included
                    for dc in (-1, 0, 1):
                        nr, nc = r + dr, c + dc
                        if 0 <= nr < rows and 0 <= nc < cols and grid[nr][nc] == "1":
                            grid[nr][nc] = "0"
                            stack.append((nr, nc))
    return count
