import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../../../extension/engines/core/clock';
import {
  IdempotencyConflictError,
  LeaseLostError,
  executeOnce,
  fingerprint,
  strongVerdict,
  weakVerdict,
} from '../../../extension/engines/idempotency/checks';
import { MemoryStore } from '../../../extension/engines/idempotency/memoryStore';

const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

test('fingerprint ignores object key order but not values', () => {
  assert.equal(fingerprint({ a: 1, b: [1, { c: 2, d: 3 }] }), fingerprint({ b: [1, { d: 3, c: 2 }], a: 1 }));
  assert.notEqual(fingerprint({ amount: 10 }), fingerprint({ amount: 11 }));
  assert.notEqual(fingerprint([1, 2]), fingerprint([2, 1]));
  assert.match(fingerprint('x'), /^[0-9a-f]{16}$/);
});

test('verdicts: weak drops a seen key; strong waits no longer than the lease and explains a conflict', () => {
  assert.deepEqual(weakVerdict(true), { act: 'execute' });
  assert.deepEqual(weakVerdict(false), { act: 'drop' });
  assert.deepEqual(strongVerdict('k', 'f', { status: 'in_progress', owner: 'o', ttlMs: 4 }, 20), { act: 'wait', retryInMs: 5 });
  assert.deepEqual(strongVerdict('k', 'f', { status: 'in_progress', owner: 'o', ttlMs: 400 }, 20), { act: 'wait', retryInMs: 20 });
  assert.deepEqual(strongVerdict('k', 'f', { status: 'failed', result: 'declined' }, 20), { act: 'replay', state: 'failed', result: 'declined' });
  const v = strongVerdict('payment:m1', 'bbb', { status: 'conflict', fingerprint: 'aaa' }, 20);
  assert.equal(v.act, 'reject');
  assert.match(v.act === 'reject' ? v.message : '', /payment:m1 was first used with a different payload \(fingerprint aaa, now bbb\)/);
});

test('executeOnce: concurrent duplicates run the effect once; the others wait and get its stored result', async () => {
  const store = new MemoryStore(new ManualClock());
  let runs = 0;
  const effect = async (): Promise<string> => {
    runs++;
    await delay(30);
    return 'receipt-1';
  };
  const results = await Promise.all(
    Array.from({ length: 50 }, () => executeOnce(store, { key: 'payment:m1', payload: { amount: 5 }, leaseMs: 5000, ttlMs: 60_000, pollMs: 5 }, effect)),
  );
  assert.equal(runs, 1);
  assert.equal(results.filter((r) => r.outcome === 'executed').length, 1);
  assert.ok(results.every((r) => r.result === 'receipt-1' && r.state === 'succeeded'));
});

test('executeOnce: the same key with another payload is refused with a clear error', async () => {
  const store = new MemoryStore(new ManualClock());
  await executeOnce(store, { key: 'k', payload: { amount: 5 }, leaseMs: 1000, ttlMs: 1000 }, async () => 'ok');
  await assert.rejects(
    executeOnce(store, { key: 'k', payload: { amount: 6 }, leaseMs: 1000, ttlMs: 1000 }, async () => 'never'),
    (e: unknown) => e instanceof IdempotencyConflictError && /different payload/.test((e as Error).message),
  );
});

test('executeOnce: a failing effect is stored and its failure replayed to duplicates without running again', async () => {
  const store = new MemoryStore(new ManualClock());
  let runs = 0;
  const effect = async (): Promise<string> => {
    runs++;
    throw new Error('card declined');
  };
  const opts = { key: 'k', payload: 1, leaseMs: 1000, ttlMs: 1000 };
  await assert.rejects(executeOnce(store, opts, effect), /card declined/);
  assert.deepEqual(await executeOnce(store, opts, effect), { outcome: 'replayed', state: 'failed', result: 'card declined' });
  assert.equal(runs, 1);
});

test('executeOnce: work that outlives its lease is reported, not silently stored', async () => {
  const clock = new ManualClock();
  const store = new MemoryStore(clock);
  await assert.rejects(
    executeOnce(store, { key: 'k', payload: 1, leaseMs: 100, ttlMs: 1000 }, async () => {
      clock.advance(150);
      // Meanwhile a retry took over the expired lease.
      await store.begin('k', fingerprint(1), 'retry', 100);
      return 'late';
    }),
    LeaseLostError,
  );
});

test('executeOnce: a holder stuck past maxWaitMs makes waiters give up with a message, not hang', async () => {
  const store = new MemoryStore(new ManualClock());
  await store.begin('k', fingerprint(1), 'stuck', 60_000);
  await assert.rejects(executeOnce(store, { key: 'k', payload: 1, leaseMs: 1000, ttlMs: 1000, pollMs: 5, maxWaitMs: 30 }, async () => 'x'), /still in progress/);
});
