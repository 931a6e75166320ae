import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { HashTable, MAX_OPEN_LOAD, type TableSettings } from '../../../extension/engines/hashtable';
import { hasher, type StringHash } from '../../../extension/engines/hashing';
import { DELETIONS, REHASH_MODES, SIZE_POLICIES, STRATEGIES } from '../../../extension/protocol/hashtable';

type Op = { op: 'insert' | 'delete' | 'lookup'; key: string } | { op: 'resize'; size: number };

// Few distinct keys, so inserts, deletes and lookups keep meeting the same keys; Java's hash makes
// "Aa"/"BB" pairs collide outright, so collisions happen even in big tables.
const keyArb = fc.oneof(
  fc.integer({ min: 0, max: 60 }).map((i) => `k${i}`),
  fc.constantFrom('Aa', 'BB', 'AaAa', 'AaBB', 'BBAa', 'BBBB'),
);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: keyArb.map((key) => ({ op: 'insert' as const, key })) },
  { weight: 3, arbitrary: keyArb.map((key) => ({ op: 'delete' as const, key })) },
  { weight: 2, arbitrary: keyArb.map((key) => ({ op: 'lookup' as const, key })) },
  { weight: 1, arbitrary: fc.integer({ min: 2, max: 300 }).map((size) => ({ op: 'resize' as const, size })) },
);

const settingsArb = (strategy: TableSettings['strategy'], rehash: TableSettings['rehash']): fc.Arbitrary<TableSettings> =>
  fc.record({
    strategy: fc.constant(strategy),
    rehash: fc.constant(rehash),
    sizes: fc.constantFrom(...SIZE_POLICIES),
    deletion: fc.constantFrom(...DELETIONS),
    initialSize: fc.integer({ min: 2, max: 40 }),
    maxLoad: strategy === 'chaining' ? fc.double({ min: 0.3, max: 4, noNaN: true }) : fc.double({ min: 0.3, max: MAX_OPEN_LOAD, noNaN: true }),
    growth: fc.double({ min: 1.25, max: 4, noNaN: true }),
    minLoad: fc.constantFrom(0, 0.05, 0.1),
    rehashBatch: fc.integer({ min: 1, max: 8 }),
  }).filter((s) => s.minLoad === 0 || s.minLoad < s.maxLoad / s.growth);

/** Slot states of every segment, read through the view the UI gets. */
function census(t: HashTable): { full: number; tombstones: number; empty: number; size: number }[] {
  return t.segments().map((seg) => {
    let full = 0;
    let tombstones = 0;
    let empty = 0;
    for (let i = 0; i < seg.size; i++) {
      const v = seg.slotView(i);
      if (v.state === 'empty') empty++;
      else if (v.state === 'tombstone') tombstones++;
      else if (v.state === 'full') full += v.chain ? v.chain.length + (v.more ?? 0) : 1;
    }
    return { full, tombstones, empty, size: seg.size };
  });
}

function checkInvariants(t: HashTable, model: Set<string>, s: TableSettings, removed: boolean): void {
  assert.equal(t.count, model.size, 'key count');
  // Shrinking happens when a delete takes the load below the minimum (checked before the lookups
  // below, which may move an incremental rehash along).
  const before = t.segments();
  const top = before[before.length - 1]!;
  if (removed && before.length === 1 && s.minLoad > 0 && top.size > t.minSize)
    assert.ok(top.count >= s.minLoad * top.size, `load ${top.count / top.size} below min ${s.minLoad} after a delete`);
  // No lost key: each is found, and nothing else is.
  for (const k of model) assert.ok(t.has(k), `lost key ${k}`);
  const open = s.strategy !== 'chaining';
  const segs = t.segments();
  const counted = census(t);
  assert.equal(counted.reduce((a, c) => a + c.full, 0), model.size, 'keys in slots');
  assert.equal(counted.reduce((a, c) => a + c.tombstones, 0), t.tombstones, 'tombstone accounting');
  if (open) for (const c of counted) assert.ok(c.empty > 0, 'open addressing keeps an empty slot, so probe sequences end');
  const main = segs[segs.length - 1]!;
  const atCap = main.size >= t.sizeCap();
  // The new table of a rehash under way must also hold the keys still waiting in the old one.
  const pending = segs.length > 1 ? segs[0]!.count : 0;
  if (!atCap) assert.ok(main.count + pending + main.tombstones <= s.maxLoad * main.size + 1e-9, `load ${(main.count + pending + main.tombstones) / main.size} above max ${s.maxLoad}`);
  if (s.rehash === 'all-at-once') assert.equal(t.rehashing, false, 'all-at-once never leaves a rehash half done');
}

function run(t: HashTable, ops: Op[], s: TableSettings): void {
  const model = new Set<string>();
  for (const o of ops) {
    let removed = false;
    if (o.op === 'resize') {
      if (model.size > s.maxLoad * t.sizeFor(o.size)) assert.throws(() => t.resize(o.size), /Cannot resize/);
      else t.resize(o.size);
    } else if (o.op === 'insert') {
      assert.equal(t.insert(o.key), !model.has(o.key), `insert ${o.key}`);
      model.add(o.key);
    } else if (o.op === 'delete') {
      removed = t.delete(o.key);
      assert.equal(removed, model.has(o.key), `delete ${o.key}`);
      model.delete(o.key);
    } else assert.equal(t.has(o.key), model.has(o.key), `lookup ${o.key}`);
    checkInvariants(t, model, s, removed);
  }
}

for (const strategy of STRATEGIES) {
  for (const rehash of REHASH_MODES) {
    test(`${strategy}, ${rehash}: any insert/delete/lookup/resize sequence answers as a Set does, invariants hold`, () => {
      fc.assert(
        fc.property(settingsArb(strategy, rehash), fc.constantFrom('java', 'murmur3_32', 'djb2'), fc.array(opArb, { maxLength: 150 }), (s, fn, ops) => {
          run(new HashTable(s, hasher(fn)), ops, s);
        }),
        { numRuns: 60 },
      );
    });
  }
}

test('a table restored from a snapshot answers like the original and the snapshot stays untouched', () => {
  fc.assert(
    fc.property(fc.constantFrom(...STRATEGIES), fc.constantFrom(...REHASH_MODES), fc.array(opArb, { maxLength: 80 }), fc.array(keyArb, { maxLength: 30 }), (strategy, rehash, ops, more) => {
      const s: TableSettings = { strategy, rehash, sizes: 'pow2', deletion: 'backshift', initialSize: 4, maxLoad: 0.75, minLoad: 0.1, growth: 2, rehashBatch: 1 };
      const hash = hasher('java');
      const t = new HashTable(s, hash);
      for (const o of ops) if (o.op === 'insert') t.insert(o.key); else if (o.op === 'delete') t.delete(o.key);
      const snap = t.snapshot();
      const atSnap: string[] = [];
      t.forEach((k) => atSnap.push(k));
      const copy = new HashTable(s, hash, snap);
      for (const k of more) {
        assert.equal(copy.insert(k), t.insert(k));
        assert.equal(copy.delete(`k${k.length}`), t.delete(`k${k.length}`));
      }
      const again = new HashTable(s, hash, snap);
      const keysOf = (x: HashTable): string[] => { const ks: string[] = []; x.forEach((k) => ks.push(k)); return ks; };
      assert.deepEqual(keysOf(again), atSnap, 'the stored snapshot was not changed by the tables built from it');
      assert.deepEqual(keysOf(copy), keysOf(t));
      assert.deepEqual(copy.stats, t.stats);
    }),
    { numRuns: 100 },
  );
});

test('incremental rehash spreads the work: its longest pause is far below all-at-once on the same keys', () => {
  const pause = (rehash: TableSettings['rehash']): { maxPause: number; maxOpWork: number } => {
    const t = new HashTable({ strategy: 'linear', rehash, sizes: 'pow2', deletion: 'backshift', initialSize: 16, maxLoad: 0.75, minLoad: 0, growth: 2, rehashBatch: 4 }, hasher('murmur3_32'));
    for (let i = 0; i < 50_000; i++) t.insert(`user:${i}`);
    return t.stats;
  };
  const once = pause('all-at-once');
  const incr = pause('incremental');
  assert.ok(once.maxPause > 50_000, `all-at-once pause ${once.maxPause}`);
  assert.ok(incr.maxPause < 200, `incremental pause ${incr.maxPause}`);
  assert.ok(incr.maxOpWork * 100 < once.maxOpWork, `worst op ${incr.maxOpWork} vs ${once.maxOpWork}`);
});

test('during an incremental rehash lookups consult both tables and inserts go to the new one', () => {
  const t = new HashTable({ strategy: 'chaining', rehash: 'incremental', sizes: 'pow2', deletion: 'tombstone', initialSize: 8, maxLoad: 1, minLoad: 0, growth: 2, rehashBatch: 1 }, hasher('fnv1a32'));
  for (let i = 0; i < 9; i++) t.insert(`k${i}`);
  assert.ok(t.rehashing, 'the 9th key started a rehash');
  const [old, fresh] = t.segments();
  assert.equal(old!.size, 8);
  assert.equal(fresh!.size, 16);
  t.insert('new key');
  const h = t.hash('new key');
  assert.ok(t.rehashing);
  assert.ok(fresh!.find('new key', h, null) >= 0, 'the new key went to the new table');
  assert.equal(old!.find('new key', h, null), -1);
  for (let i = 0; i < 9; i++) assert.ok(t.has(`k${i}`));
  while (t.rehashing) t.has('k0');
  assert.equal(t.segments().length, 1);
  assert.equal(t.count, 10);
});

test('deleting under tombstones, then filling, rehashes in place to clean them', () => {
  const t = new HashTable({ strategy: 'double', rehash: 'all-at-once', sizes: 'prime', deletion: 'tombstone', initialSize: 64, maxLoad: 0.5, minLoad: 0, growth: 2, rehashBatch: 1 }, hasher('xxhash32'));
  const size = t.size;
  for (let round = 0; round < 20; round++) {
    for (let i = 0; i < 10; i++) t.insert(`r${round}:${i}`);
    for (let i = 0; i < 10; i++) t.delete(`r${round}:${i}`);
  }
  assert.equal(t.count, 0);
  assert.equal(t.size, size, 'live keys never needed more room');
  assert.ok(t.stats.events.some((e) => e.reason === 'clean' && e.from === e.to), 'a same-size rehash cleaned the tombstones');
  assert.ok(t.tombstones <= 0.5 * size);
});

test('a custom hash with total collisions still works (every key in one probe sequence)', () => {
  const constant: StringHash = () => 42;
  for (const strategy of STRATEGIES) {
    const t = new HashTable({ strategy, rehash: 'incremental', sizes: strategy === 'quadratic' ? 'prime' : 'pow2', deletion: 'backshift', initialSize: 4, maxLoad: 0.75, minLoad: 0.1, growth: 2, rehashBatch: 2 }, constant);
    for (let i = 0; i < 200; i++) assert.ok(t.insert(`c${i}`));
    for (let i = 0; i < 200; i += 2) assert.ok(t.delete(`c${i}`));
    for (let i = 0; i < 200; i++) assert.equal(t.has(`c${i}`), i % 2 === 1, `${strategy} c${i}`);
  }
});
