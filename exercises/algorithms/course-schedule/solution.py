from collections import deque


def find_order(num_courses: int, prerequisites: list[list[int]]) -> list[int]:
    """Kahn's algorithm: O(V + E), no recursion."""
    unlocks: list[list[int]] = [[] for _ in range(num_courses)]
    indegree = [0] * num_courses
    for course, before in prerequisites:
        unlocks[before].append(course)
        indegree[course] += 1
    ready = deque(c for c in range(num_courses) if indegree[c] == 0)
    order = []
    while ready:
        course = ready.popleft()
        order.append(course)
        for nxt in unlocks[course]:
            indegree[nxt] -= 1
            if indegree[nxt] == 0:
                ready.append(nxt)
    return order if len(order) == num_courses else []


def can_finish(num_courses: int, prerequisites: list[list[int]]) -> bool:
    return num_courses == 0 or len(find_order(num_courses, prerequisites)) == num_courses
