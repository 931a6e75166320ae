# expect: modulo-sharding n=16 hash=crc32 risks=modulo-resharding
import zlib

NUM_SHARDS = 16


def shard_table(user_id: int) -> str:
    shard = zlib.crc32(str(user_id).encode()) % NUM_SHARDS
    return f"users_{shard:02d}"
