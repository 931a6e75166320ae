// expect: idempotency store=redis command="SETNX + EXPIRE" keyShape="dedup:{messageId}" ttlSeconds=86400 atomic=false risks=setnx-expire-not-atomic,ttl-bounds-dedup-window,claim-before-effect
public boolean firstDelivery(Jedis jedis, String messageId) {
    String key = "dedup:" + messageId;
    if (jedis.setnx(key, "1") == 1L) {
        jedis.expire(key, 86400);
        return true;
    }
    return false;
}
