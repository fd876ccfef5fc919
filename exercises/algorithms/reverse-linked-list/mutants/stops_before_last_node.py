class ListNode:
    def __init__(self, val=0, next=None):
        self.val = val
        self.next = next


def reverse_list(head):
    prev = None
    node = head
    while node is not None and node.next is not None:  # the bug: the last node is never moved
        following = node.next
        node.next = prev
        prev = node
        node = following
    return prev
