# expect: hash-ring library=uhashring scheme=ketama servers=["cache1:11211","cache2:11211"] vnodes=40 risks=few-vnodes
from uhashring import HashRing

ring = HashRing(nodes=["cache1:11211", "cache2:11211"], vnodes=40)


def server_for(key):
    return ring.get_node(key)
