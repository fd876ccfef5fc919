def find_order(num_courses, prerequisites):
    unlocks = [[] for _ in range(num_courses)]
    indegree = [0] * num_courses
    for course, before in prerequisites:
        unlocks[before].append(course)
        indegree[course] += 1
    taken = [False] * num_courses
    order = []
    while len(order) < num_courses:
        for course in range(num_courses):  # O(V) scan for the next free course: O(V^2) in all
            if not taken[course] and indegree[course] == 0:
                break
        else:
            return []
        taken[course] = True
        order.append(course)
        for nxt in unlocks[course]:
            indegree[nxt] -= 1
    return order


def can_finish(num_courses, prerequisites):
    return num_courses == 0 or len(find_order(num_courses, prerequisites)) == num_courses
