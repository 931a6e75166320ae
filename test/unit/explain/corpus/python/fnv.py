# expect: hash-function name=fnv1a_32 known=fnv1a32 multiplier=16777619 initial=2166136261 callable=false risks=
FNV_PRIME = 16777619
FNV_OFFSET = 2166136261


def fnv1a_32(data: bytes) -> int:
    h = FNV_OFFSET
    for b in data:
        h ^= b
        h = (h * FNV_PRIME) & 0xFFFFFFFF
    return h
