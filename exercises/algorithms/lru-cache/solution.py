from collections import OrderedDict


class LRUCache:
    """OrderedDict keeps keys from least to most recently used; every operation is O(1)."""

    def __init__(self, capacity: int):
        self.capacity = capacity
        self.entries: OrderedDict[int, int] = OrderedDict()

    def get(self, key: int) -> int:
        if key not in self.entries:
            return -1
        self.entries.move_to_end(key)
        return self.entries[key]

    def put(self, key: int, value: int) -> None:
        if key in self.entries:
            self.entries.move_to_end(key)
        self.entries[key] = value
        if len(self.entries) > self.capacity:
            self.entries.popitem(last=False)
