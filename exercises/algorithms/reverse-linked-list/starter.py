class ListNode:
    """The tests use their own class with the same two attributes."""

    def __init__(self, val=0, next=None):
        self.val = val
        self.next = next


def reverse_list(head: ListNode | None) -> ListNode | None:
    """Reverse the list in place (relink the same nodes) and return the new head."""
    # TODO: walk the list once, pointing each node's next at the node before it.
    raise NotImplementedError("reverse_list is not implemented yet")
