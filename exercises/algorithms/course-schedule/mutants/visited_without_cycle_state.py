def find_order(num_courses, prerequisites):
    needs = [[] for _ in range(num_courses)]
    for a, b in prerequisites:
        needs[a].append(b)
    visited = [False] * num_courses
    order = []
    for start in range(num_courses):
        if visited[start]:
            continue
        visited[start] = True
        stack = [(start, iter(needs[start]))]
        while stack:
            node, it = stack[-1]
            for before in it:
                if not visited[before]:  # the bug: one visited flag, so a back edge to a course
                    visited[before] = True  # still on the stack (a cycle) is silently skipped
                    stack.append((before, iter(needs[before])))
                    break
            else:
                stack.pop()
                order.append(node)
    return order


def can_finish(num_courses, prerequisites):
    return len(find_order(num_courses, prerequisites)) == num_courses
