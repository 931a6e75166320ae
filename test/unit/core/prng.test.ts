import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Prng } from '../../../extension/engines/core/prng';
import { ManualClock } from '../../../extension/engines/core/clock';

test('the same seed gives the same sequence; a saved state resumes it exactly', () => {
  const a = new Prng(42);
  const b = new Prng(42);
  const first = Array.from({ length: 100 }, () => a.nextU32());
  assert.deepEqual(first, Array.from({ length: 100 }, () => b.nextU32()));
  const saved = a.state();
  const next = Array.from({ length: 10 }, () => a.next());
  const resumed = new Prng(saved);
  assert.deepEqual(Array.from({ length: 10 }, () => resumed.next()), next);
  assert.notDeepEqual(first.slice(0, 10), Array.from({ length: 10 }, () => new Prng(43).nextU32()));
});

test('int(n) is uniform enough and within bounds', () => {
  const p = new Prng(7);
  const counts = new Array(10).fill(0);
  for (let i = 0; i < 100_000; i++) counts[p.int(10)]++;
  for (const c of counts) assert.ok(c > 9_500 && c < 10_500, `bucket count ${c}`);
  assert.throws(() => p.int(0), RangeError);
  assert.throws(() => p.int(2.5), RangeError);
});

test('shuffle is a permutation', () => {
  const xs = Array.from({ length: 50 }, (_, i) => i);
  const s = new Prng(1).shuffle([...xs]);
  assert.deepEqual([...s].sort((a, b) => a - b), xs);
  assert.notDeepEqual(s, xs);
});

test('the manual clock only moves forward when told', () => {
  const c = new ManualClock(10);
  assert.equal(c.now(), 10);
  c.advance(5);
  assert.equal(c.now(), 15);
  assert.throws(() => c.advance(-1), RangeError);
  assert.throws(() => c.set(3), /cannot go back/);
});
