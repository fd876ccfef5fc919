def find_order(num_courses, prerequisites):
    needs = [[] for _ in range(num_courses)]
    for a, b in prerequisites:
        needs[a].append(b)
    state = [0] * num_courses  # 0 new, 1 on the stack, 2 done
    order = []

    def visit(course):  # correct, but one Python frame per course along a chain
        if state[course] == 1:
            return False
        if state[course] == 2:
            return True
        state[course] = 1
        for before in needs[course]:
            if not visit(before):
                return False
        state[course] = 2
        order.append(course)
        return True

    for course in range(num_courses):
        if not visit(course):
            return []
    return order


def can_finish(num_courses, prerequisites):
    return len(find_order(num_courses, prerequisites)) == num_courses
