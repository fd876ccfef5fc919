class ListNode:
    def __init__(self, val=0, next=None):
        self.val = val
        self.next = next


def reverse_list(head: ListNode | None) -> ListNode | None:
    """Iterative in-place reversal: O(n) time, O(1) extra space, no recursion."""
    prev = None
    node = head
    while node is not None:
        following = node.next
        node.next = prev
        prev = node
        node = following
    return prev
