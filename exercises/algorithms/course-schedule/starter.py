def can_finish(num_courses: int, prerequisites: list[list[int]]) -> bool:
    """True if every course can be taken: [a, b] means b before a, and there is no cycle."""
    # TODO: Kahn's algorithm: count in-degrees, repeatedly take a course with in-degree 0.
    raise NotImplementedError("can_finish is not implemented yet")


def find_order(num_courses: int, prerequisites: list[list[int]]) -> list[int]:
    """Every course once, each b before a for [a, b]; [] if impossible. Any valid order."""
    raise NotImplementedError("find_order is not implemented yet")
