class ListNode:
    def __init__(self, val=0, next=None):
        self.val = val
        self.next = next


def reverse_list(head):
    new_head = None
    node = head
    while node is not None:
        new_head = ListNode(node.val, new_head)  # the bug: new nodes, not the original ones
        node = node.next
    return new_head
