/**
 * The store contract: the same test bodies run against the in-memory store (unit tier, manual
 * clock) and against a real redis-server (contract tier, real time). Each fixture says how time
 * passes for its store.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { IdempotencyStore } from '../../../extension/engines/idempotency/store';
import { decodeRecord } from '../../../extension/engines/idempotency/store';

export interface StoreFixture {
  store: IdempotencyStore;
  /** Lets `ms` milliseconds pass on the store's clock. */
  wait(ms: number): Promise<void>;
}

let counter = 0;
/** A key no other test uses, under one prefix per test so scans see only their own keys. */
function keys(): { prefix: string; key: (name: string) => string } {
  const prefix = `contract:${process.pid}:${++counter}:`;
  return { prefix, key: (name) => prefix + name };
}

export function storeContract(name: string, fixture: () => StoreFixture): void {
  test(`${name}: SET NX sets an absent key once and GET reads it`, async () => {
    const { store } = fixture();
    const { key } = keys();
    assert.equal(await store.setNx(key('a'), 'v1', 10_000), true);
    assert.equal(await store.setNx(key('a'), 'v2', 10_000), false);
    assert.equal(await store.get(key('a')), 'v1');
    assert.equal(await store.get(key('missing')), null);
  });

  test(`${name}: PX expiry: PTTL counts down, the key disappears, and SET NX succeeds again`, async () => {
    const { store, wait } = fixture();
    const { key } = keys();
    assert.equal(await store.setNx(key('t'), '1', 300), true);
    const left = await store.pttl(key('t'));
    assert.ok(left > 150 && left <= 300, `pttl ${left}`);
    await wait(400);
    assert.equal(await store.get(key('t')), null);
    assert.equal(await store.pttl(key('t')), -2);
    assert.equal(await store.setNx(key('t'), '2', 300), true);
    assert.equal(await store.get(key('t')), '2');
  });

  test(`${name}: DEL counts only live keys and PTTL is -2 for a missing key`, async () => {
    const { store } = fixture();
    const { key } = keys();
    await store.setNx(key('x'), '1', 10_000);
    await store.setNx(key('y'), '1', 10_000);
    assert.equal(await store.del(key('x'), key('y'), key('z')), 2);
    assert.equal(await store.del(key('x')), 0);
    assert.equal(await store.pttl(key('x')), -2);
  });

  test(`${name}: an expiry that is not a positive whole number of ms is rejected`, async () => {
    const { store } = fixture();
    const { key } = keys();
    for (const ttl of [0, -5, 1.5]) await assert.rejects(store.setNx(key('bad'), '1', ttl), `ttl ${ttl}`);
    await assert.rejects(store.begin(key('bad'), 'fp', 'o', 0));
    assert.equal(await store.get(key('bad')), null);
  });

  test(`${name}: begin claims a free key; a second caller sees it in progress; another payload is a conflict`, async () => {
    const { store } = fixture();
    const { key } = keys();
    assert.deepEqual(await store.begin(key('k'), 'fp1', 'owner-1', 5000), { status: 'acquired' });
    const again = await store.begin(key('k'), 'fp1', 'owner-2', 5000);
    assert.equal(again.status, 'in_progress');
    assert.ok(again.status === 'in_progress' && again.owner === 'owner-1' && again.ttlMs > 0 && again.ttlMs <= 5000);
    assert.deepEqual(await store.begin(key('k'), 'fp2', 'owner-3', 5000), { status: 'conflict', fingerprint: 'fp1' });
    const rec = decodeRecord((await store.get(key('k')))!);
    assert.deepEqual(rec && { state: rec.state, fp: rec.fp, owner: rec.owner }, { state: 'in_progress', fp: 'fp1', owner: 'owner-1' });
  });

  test(`${name}: complete stores the result for every later duplicate; only the lease holder may complete`, async () => {
    const { store } = fixture();
    const { key } = keys();
    await store.begin(key('k'), 'fp', 'owner-1', 5000);
    assert.equal(await store.complete(key('k'), 'owner-2', 'succeeded', 'not mine', 60_000), 'lost');
    assert.equal(await store.complete(key('k'), 'owner-1', 'succeeded', 'receipt-42', 60_000), 'ok');
    assert.deepEqual(await store.begin(key('k'), 'fp', 'owner-3', 5000), { status: 'succeeded', result: 'receipt-42' });
    assert.equal(await store.complete(key('k'), 'owner-1', 'succeeded', 'twice', 60_000), 'lost');
    assert.ok((await store.pttl(key('k'))) > 5000, 'the finished record lives for its TTL, not the lease');
    assert.equal(await store.complete(key('never-begun'), 'owner-1', 'succeeded', 'x', 60_000), 'lost');
  });

  test(`${name}: a failed outcome is stored and returned to duplicates`, async () => {
    const { store } = fixture();
    const { key } = keys();
    await store.begin(key('k'), 'fp', 'o', 5000);
    assert.equal(await store.complete(key('k'), 'o', 'failed', 'card declined', 60_000), 'ok');
    assert.deepEqual(await store.begin(key('k'), 'fp', 'o2', 5000), { status: 'failed', result: 'card declined' });
  });

  test(`${name}: a crashed holder's lease expires, a retry takes over, and the old holder is fenced off`, async () => {
    const { store, wait } = fixture();
    const { key } = keys();
    await store.begin(key('k'), 'fp', 'crashed', 200);
    await wait(300);
    assert.deepEqual(await store.begin(key('k'), 'fp', 'retry', 5000), { status: 'acquired' });
    assert.equal(await store.complete(key('k'), 'crashed', 'succeeded', 'late', 60_000), 'lost');
    assert.equal(await store.complete(key('k'), 'retry', 'succeeded', 'done', 60_000), 'ok');
    assert.deepEqual(await store.begin(key('k'), 'fp', 'dup', 5000), { status: 'succeeded', result: 'done' });
  });

  test(`${name}: a finished record expires after its TTL and the key is free again`, async () => {
    const { store, wait } = fixture();
    const { key } = keys();
    await store.begin(key('k'), 'fp', 'o', 5000);
    await store.complete(key('k'), 'o', 'succeeded', 'r', 200);
    await wait(300);
    assert.deepEqual(await store.begin(key('k'), 'fp', 'o2', 5000), { status: 'acquired' });
  });

  test(`${name}: begin on a key that holds something else fails with a clear message`, async () => {
    const { store } = fixture();
    const { key } = keys();
    await store.setNx(key('weak'), '1', 10_000);
    await assert.rejects(store.begin(key('weak'), 'fp', 'o', 5000), /not an idempotency record/);
    assert.equal(await store.complete(key('weak'), 'o', 'succeeded', 'r', 5000), 'lost');
    assert.equal(await store.get(key('weak')), '1');
  });

  test(`${name}: scan lists live keys under a prefix with their TTLs, up to a limit`, async () => {
    const { store } = fixture();
    const { prefix, key } = keys();
    for (let i = 1; i <= 12; i++) await store.setNx(key(`m${i}`), String(i), 10_000);
    await store.begin(key('rec'), 'fp', 'o', 5000);
    await store.setNx(`other:${prefix}`, 'not listed', 10_000);
    const all = await store.scan(prefix, 100);
    assert.equal(all.total, 13);
    assert.equal(all.entries.length, 13);
    for (const e of all.entries) assert.ok(e.key.startsWith(prefix) && e.pttlMs > 0 && e.pttlMs <= 10_000, JSON.stringify(e));
    assert.equal(all.entries.find((e) => e.key === key('m7'))?.value, '7');
    assert.equal(decodeRecord(all.entries.find((e) => e.key === key('rec'))!.value)?.state, 'in_progress');
    const some = await store.scan(prefix, 5);
    assert.equal(some.total, 13);
    assert.equal(some.entries.length, 5);
    await store.del(`other:${prefix}`);
  });

  test(`${name}: 200 concurrent begins on one key: exactly one acquires`, async () => {
    const { store } = fixture();
    const { key } = keys();
    const replies = await Promise.all(Array.from({ length: 200 }, (_, i) => store.begin(key('hot'), 'fp', `o${i}`, 5000)));
    assert.equal(replies.filter((r) => r.status === 'acquired').length, 1);
    assert.equal(replies.filter((r) => r.status === 'in_progress').length, 199);
  });
}
