/** The store contract against a real redis-server that this file starts on a free loopback port. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { RedisStore, RedisUnavailableError } from '../../extension/engines/idempotency/redisStore';
import { startRedis, type RedisService } from '../services/redis';
import { freePort } from '../services/process';
import { storeContract } from '../unit/idempotency/storeContract';

let redis: RedisService;
let store: RedisStore;

before(async () => {
  redis = await startRedis();
  store = await RedisStore.connect(redis.url);
});
after(async () => {
  await store?.close();
  await redis?.stop();
});

storeContract('redis store', () => ({ store, wait: (ms) => new Promise((r) => setTimeout(r, ms)) }));

test('redis store: a server that is not there is a clear error, not a hang', async () => {
  const port = await freePort();
  const t0 = Date.now();
  await assert.rejects(RedisStore.connect(`redis://127.0.0.1:${port}`), (e: unknown) => {
    assert.ok(e instanceof RedisUnavailableError);
    assert.match((e as Error).message, new RegExp(`Could not connect to Redis at redis://127.0.0.1:${port}.*in-memory store`));
    return true;
  });
  assert.ok(Date.now() - t0 < 5000, 'gave up within the connect timeout');
});

test('redis store: bad URLs are rejected before connecting', async () => {
  await assert.rejects(RedisStore.connect('http://127.0.0.1:6379'), /redis:\/\//);
  await assert.rejects(RedisStore.connect('not a url'), /not a Redis URL/);
  await assert.rejects(RedisStore.connect('redis://127.0.0.1:6379/99'), /database number/);
});
