from collections import OrderedDict


class LRUCache:
    def __init__(self, capacity):
        self.capacity = min(capacity, 1024)  # the bug: a fixed table of 1024 slots at most
        self.entries = OrderedDict()

    def get(self, key):
        if key not in self.entries:
            return -1
        self.entries.move_to_end(key)
        return self.entries[key]

    def put(self, key, value):
        if key in self.entries:
            self.entries.move_to_end(key)
        self.entries[key] = value
        if len(self.entries) > self.capacity:
            self.entries.popitem(last=False)
