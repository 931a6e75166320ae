# expect: hash-table implementation=custom capacity=8 loadFactor=0.75 collision=chaining risks=
class HashTable:
    LOAD_FACTOR = 0.75

    def __init__(self):
        self.capacity = 8
        self.size = 0
        self.buckets = [[] for _ in range(self.capacity)]

    def put(self, key, value):
        bucket = self.buckets[hash(key) % self.capacity]
        for pair in bucket:
            if pair[0] == key:
                pair[1] = value
                return
        self.buckets[hash(key) % self.capacity].append([key, value])
        self.size += 1
        if self.size / self.capacity > self.LOAD_FACTOR:
            self._resize()

    def _resize(self):
        old = [p for b in self.buckets for p in b]
        self.capacity *= 2
        self.buckets = [[] for _ in range(self.capacity)]
        self.size = 0
        for k, v in old:
            self.put(k, v)
