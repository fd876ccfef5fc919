def min_window(s: str, t: str) -> str:
    """Return the shortest (leftmost on ties) substring of s containing all of t, repeats counted.

    Return "" if there is no such substring.
    """
    # TODO: count what t needs, grow the window on the right, shrink it from the left while it
    # still covers t, and remember the best window.
    raise NotImplementedError("min_window is not implemented yet")
