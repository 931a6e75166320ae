import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../../../extension/engines/core/clock';
import { MemoryKeyspace, MemoryStore } from '../../../extension/engines/idempotency/memoryStore';
import { storeContract } from './storeContract';

storeContract('memory store', () => {
  const clock = new ManualClock();
  return { store: new MemoryStore(clock), wait: async (ms) => void clock.advance(ms) };
});

test('memory keyspace: a key lives through its last millisecond and is gone one after, as in Redis', () => {
  const clock = new ManualClock(1000);
  const ks = new MemoryKeyspace(clock);
  ks.setNx('k', 'v', 100);
  clock.set(1100);
  assert.equal(ks.pttl('k'), 0);
  assert.equal(ks.get('k'), 'v');
  clock.set(1101);
  assert.equal(ks.get('k'), null);
});

test('memory keyspace: expired keys are swept, so a long run does not keep dead keys', () => {
  const clock = new ManualClock();
  const ks = new MemoryKeyspace(clock);
  for (let i = 0; i < 5000; i++) {
    ks.setNx(`k${i}`, '1', 10);
    clock.advance(1);
  }
  assert.ok(ks.data.size < 1100, `${ks.data.size} keys kept`);
});
