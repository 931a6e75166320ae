# expect: modulo-sharding
import mmh3

def partition_for(key: str, partitions: int = 12) -> int:
    return mmh3.hash(key, signed=False) % partitions
