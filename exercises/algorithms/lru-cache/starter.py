class LRUCache:
    """A least-recently-used cache; get and put in O(1)."""

    def __init__(self, capacity: int):
        # TODO: a collections.OrderedDict (or a dict plus a doubly linked list).
        raise NotImplementedError("LRUCache is not implemented yet")

    def get(self, key: int) -> int:
        """The value for key (and mark it most recently used), or -1 if absent."""
        raise NotImplementedError("LRUCache.get is not implemented yet")

    def put(self, key: int, value: int) -> None:
        """Insert or update key as most recently used; evict the LRU entry when over capacity."""
        raise NotImplementedError("LRUCache.put is not implemented yet")
