class ListNode:
    def __init__(self, val=0, next=None):
        self.val = val
        self.next = next


def reverse_list(head):
    if head is None or head.next is None:
        return head
    nodes = []
    node = head
    while node is not None:
        nodes.append(node)
        node = node.next
    for i in range(len(nodes) - 1, 0, -1):
        nodes[i].next = nodes[i - 1]
    # the bug: the old head keeps pointing at the second node, so 2 -> 1 -> 2 -> ... is a cycle
    return nodes[-1]
