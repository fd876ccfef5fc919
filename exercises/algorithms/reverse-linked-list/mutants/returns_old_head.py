class ListNode:
    def __init__(self, val=0, next=None):
        self.val = val
        self.next = next


def reverse_list(head):
    prev = None
    node = head
    while node is not None:
        following = node.next
        node.next = prev
        prev = node
        node = following
    return head  # the bug: head is now the tail; the new head is prev
