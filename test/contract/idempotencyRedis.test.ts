/**
 * The checks and the lab against a real redis-server started by this file on a free loopback port:
 * exactly-once under 1,000 concurrent deliveries, the weak check's slip-through after its TTL, and
 * failing closed when Redis dies mid-run.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { UserError, noRunContext } from '../../extension/engines/core/model';
import { parseSessionFile } from '../../extension/engines/core/sessionFile';
import { executeOnce } from '../../extension/engines/idempotency/checks';
import { IdempotencyModel, idempotencyFactory } from '../../extension/engines/idempotency/model';
import { RedisStore } from '../../extension/engines/idempotency/redisStore';
import type { CountersPart, IdempotencyIntent, LabSettings, LedgerPart, SettingsPart, StorePart } from '../../extension/protocol/idempotency';
import { defaultSettings } from '../../extension/protocol/idempotency';
import { startRedis, type RedisService } from '../services/redis';

let redis: RedisService;
before(async () => {
  redis = await startRedis();
});
after(async () => {
  await redis?.stop();
});

const quiet = { duplicateRate: 0, reorderRate: 0, maxDelayMs: 0, ackLossRate: 0, crashRate: 0, ackTimeoutMs: 300, maxDeliveries: 10 };
const lab = (settings: Partial<LabSettings>): IdempotencyModel => new IdempotencyModel({ seed: 3, settings: { ...defaultSettings(), ...settings } });
async function act(m: IdempotencyModel, ...intents: IdempotencyIntent[]): Promise<void> {
  for (const i of intents) await m.dispatch(i, noRunContext);
}
const counters = (m: IdempotencyModel): CountersPart => m.view().counters as CountersPart;

test('1,000 concurrent deliveries of one message, strong check on Redis: one effect, every other caller gets its stored result', async () => {
  // Several connections, so the callers really race inside Redis rather than queue on one socket.
  const stores = await Promise.all(Array.from({ length: 8 }, () => RedisStore.connect(redis.url)));
  try {
    let effects = 0;
    const effect = async (): Promise<string> => {
      effects++;
      await new Promise((r) => setTimeout(r, 100));
      return 'charged 42 to acct-7';
    };
    const results = await Promise.all(
      Array.from({ length: 1000 }, (_, i) =>
        executeOnce(stores[i % stores.length]!, { key: 'contract:concurrency:payment:m1', payload: { account: 'acct-7', amount: 42 }, leaseMs: 5000, ttlMs: 60_000, pollMs: 10 }, effect),
      ),
    );
    assert.equal(effects, 1);
    assert.equal(results.filter((r) => r.outcome === 'executed').length, 1);
    assert.equal(results.filter((r) => r.outcome === 'replayed').length, 999);
    assert.ok(results.every((r) => r.state === 'succeeded' && r.result === 'charged 42 to acct-7'));
  } finally {
    await Promise.all(stores.map((s) => s.close()));
  }
});

test('weak check on Redis: a duplicate within the TTL is dropped, one after Redis expired the key slips through and is counted', async () => {
  // A window wide enough that a loaded machine still sends the first duplicate inside it.
  const m = lab({ check: 'weak', ttlMs: 1500, faults: quiet });
  try {
    await act(m, { type: 'useRedis', url: redis.url }, { type: 'send', count: 1 }, { type: 'duplicate' });
    assert.equal(counters(m).duplicatesDropped, 1);
    const table = m.view().store as StorePart;
    assert.equal(table.kind, 'redis');
    assert.equal(table.rows[0]?.key, 'weak:payment:m1');
    assert.ok(table.rows[0]!.ttlMs > 0 && table.rows[0]!.ttlMs <= 1500);
    await act(m, { type: 'advance', ms: 1600 }, { type: 'duplicate' });
    assert.equal(counters(m).duplicatesSlipped, 1);
    assert.equal((m.view().ledger as LedgerPart).totals.doubleCharges, 1);
  } finally {
    await m.dispose();
  }
});

test('strong check on Redis: duplicates across workers never run twice, and the recorded run replays without Redis', async () => {
  const m = lab({ check: 'strong', ttlMs: 60_000, dispatch: 'roundrobin', workers: 6, produceIntervalMs: 1, faults: { ...quiet, duplicateRate: 0.5, maxDelayMs: 30, crashRate: 0.05 } });
  try {
    await act(m, { type: 'useRedis', url: redis.url }, { type: 'send', count: 150 });
    const c = counters(m);
    assert.equal(c.effects, 150);
    assert.equal(c.duplicatesSlipped, 0);
    assert.ok(c.duplicatesDropped > 20);
    const session = JSON.stringify(m.exportSession());
    assert.ok(!session.includes('password'));
    const copy = idempotencyFactory.fromSession(parseSessionFile(session, { kind: 'idempotency', config: idempotencyFactory.configSchema, step: idempotencyFactory.stepSchema }));
    assert.deepEqual(copy.view(), m.view());
    m.seek(1);
    m.seek(2);
    assert.deepEqual(m.view().counters, c);
  } finally {
    await m.dispose();
  }
});

test('Redis stopped mid-run: a clear error, nothing executed twice (fail closed), and the lab carries on in memory', async () => {
  const own = await startRedis();
  const m = lab({ check: 'strong', ttlMs: 60_000, dispatch: 'keyhash', workers: 4, produceIntervalMs: 1, serviceMs: 4, faults: { ...quiet, duplicateRate: 0.3, maxDelayMs: 20 } });
  try {
    await act(m, { type: 'useRedis', url: own.url });
    const killer = new Promise<void>((r) => setTimeout(r, 500)).then(() => own.stop());
    const t0 = Date.now();
    await assert.rejects(m.dispatch({ type: 'send', count: 3000 }, noRunContext), (e: unknown) => {
      assert.ok(e instanceof UserError, String(e));
      assert.match((e as Error).message, /Redis at redis:\/\/127\.0\.0\.1:\d+ .*fail closed/s);
      return true;
    });
    await killer;
    assert.ok(Date.now() - t0 < 10_000, 'failed fast instead of hanging');
    const c = counters(m);
    assert.ok(c.storeErrors >= 1 && c.effects > 0 && c.produced < 3000, JSON.stringify(c));
    assert.equal(c.duplicatesSlipped, 0);
    assert.equal((m.view().ledger as LedgerPart).totals.overcharged, 0);
    assert.match((m.view().settings as SettingsPart).store.error ?? '', /Redis/);
    // Still on Redis, and Redis is gone: the next run says so and changes nothing.
    const length = m.view().timeline.length;
    await assert.rejects(m.dispatch({ type: 'advance', ms: 10 }, noRunContext), /Could not connect to Redis/);
    assert.equal(m.view().timeline.length, length);
    await act(m, { type: 'useMemory' }, { type: 'send', count: 100 });
    const after = counters(m);
    assert.equal((m.view().settings as SettingsPart).store.kind, 'memory');
    // The stopped send's remaining messages were produced too; each ran once, or was abandoned with Redis.
    assert.equal(after.produced, 3100);
    assert.ok(after.abandoned > 0);
    assert.equal(after.inFlight, 0);
    assert.equal(after.effects + after.lost, after.produced);
    assert.equal(after.duplicatesSlipped, 0);
    assert.equal((m.view().ledger as LedgerPart).totals.overcharged, 0);
  } finally {
    await m.dispose();
    await own.stop();
  }
});
