// expect: idempotency store=redis command="SETNX + EXPIRE" keyShape="processed:{msg.id}" ttlSeconds=3600 atomic=false risks=setnx-expire-not-atomic,ttl-bounds-dedup-window,claim-before-effect
async function onMessage(redis, msg) {
  const first = await redis.setnx(`processed:${msg.id}`, Date.now());
  if (!first) return;
  await redis.expire(`processed:${msg.id}`, 3600);
  await updateInventory(msg.sku, msg.delta);
}
