# expect: modulo-sharding n=4 hash=python-hash risks=modulo-resharding,python-hash-randomized
NODES = ["redis-0", "redis-1", "redis-2", "redis-3"]


def node_for(key: str) -> str:
    return NODES[hash(key) % len(NODES)]
