import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { IntTable } from '../../../extension/engines/hashtable';

test('IntTable answers add/has/delete as a Set does, including 0, negatives and the extremes', () => {
  const key = fc.oneof(fc.integer({ min: -40, max: 40 }), fc.constantFrom(0, -2147483648, 2147483647), fc.integer({ min: -2147483648, max: 2147483647 }));
  const op = fc.tuple(fc.constantFrom('add', 'delete', 'has'), key);
  fc.assert(
    fc.property(fc.array(op, { maxLength: 400 }), fc.constantFrom(0.5, 0.75, 0.95), (ops, maxLoad) => {
      const t = new IntTable(4, maxLoad);
      const s = new Set<number>();
      for (const [what, k] of ops) {
        if (what === 'add') { assert.equal(t.add(k), !s.has(k)); s.add(k); }
        else if (what === 'delete') { assert.equal(t.delete(k), s.has(k)); s.delete(k); }
        else assert.equal(t.has(k), s.has(k));
        assert.equal(t.size, s.size);
      }
      for (const k of s) assert.ok(t.has(k));
      const seen: number[] = [];
      t.forEach((k) => seen.push(k));
      assert.deepEqual(seen.sort((a, b) => a - b), [...s].sort((a, b) => a - b));
      assert.ok(t.size <= maxLoad * t.capacity + 1);
    }),
    { numRuns: 200 },
  );
});

test('IntTable keeps a million keys and refuses what is not a 32-bit integer', () => {
  const t = new IntTable();
  for (let i = 0; i < 1_000_000; i++) t.add(Math.imul(i, 0x9e3779b1));
  assert.equal(t.size, 1_000_000);
  for (let i = 0; i < 1_000_000; i += 997) assert.ok(t.has(Math.imul(i, 0x9e3779b1)));
  assert.equal(t.has(Math.imul(1_000_001, 0x9e3779b1)), false);
  assert.throws(() => t.add(1.5), /32-bit integers/);
  assert.throws(() => t.add(2 ** 31), /32-bit integers/);
  assert.throws(() => new IntTable(16, 1), /max load/);
});
