def merge(intervals):
    result = [list(iv) for iv in intervals]
    changed = True
    while changed:  # correct, but compares every pair again after each merge: O(n^2) or worse
        changed = False
        for i in range(len(result)):
            for j in range(i + 1, len(result)):
                a, b = result[i], result[j]
                if a[0] <= b[1] and b[0] <= a[1]:
                    result[i] = [min(a[0], b[0]), max(a[1], b[1])]
                    del result[j]
                    changed = True
                    break
            if changed:
                break
    return sorted(result)
