import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { UserError, noRunContext, type RunContext } from '../../../extension/engines/core/model';
import { SessionFileError, parseSessionFile } from '../../../extension/engines/core/sessionFile';
import { HashTableModel, hashTableFactory } from '../../../extension/engines/hashtable';
import {
  DEFAULT_CONFIG, type HashTableConfig, type HashTableIntent, type HashTableStep, type HashTableView, hashTableConfig, hashTableStep,
} from '../../../extension/protocol/hashtable';

const make = (c: Partial<HashTableConfig> = {}): HashTableModel => new HashTableModel({ ...DEFAULT_CONFIG, ...c });
const withoutTimeline = (v: HashTableView): Omit<HashTableView, 'timeline'> => { const { timeline: _t, ...rest } = v; return rest; };
const load = (text: string) => hashTableFactory.fromSession(parseSessionFile(text, { kind: 'hashtable', config: hashTableConfig, step: hashTableStep }));

const keyArb = fc.oneof(fc.integer({ min: 0, max: 40 }).map((i) => `k${i}`), fc.constantFrom('Aa', 'BB', '3,4', '4,3'));
const intentArb: fc.Arbitrary<HashTableIntent> = fc.oneof(
  { weight: 6, arbitrary: fc.array(keyArb, { minLength: 1, maxLength: 6 }).map((keys) => ({ type: 'insert' as const, keys })) },
  { weight: 3, arbitrary: keyArb.map((key) => ({ type: 'delete' as const, key })) },
  { weight: 2, arbitrary: keyArb.map((key) => ({ type: 'lookup' as const, key })) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('bulkInsert' as const), generator: fc.constantFrom('sequential' as const, 'random' as const, 'adversarial' as const), count: fc.integer({ min: 1, max: 200 }) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('setStrategy' as const), strategy: fc.constantFrom('chaining' as const, 'linear' as const, 'quadratic' as const, 'double' as const, 'robinhood' as const) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('setHash' as const), fn: fc.constantFrom('java' as const, 'murmur3_32' as const, 'crc32' as const), seed: fc.integer({ min: 0, max: 9 }) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('setResizePolicy' as const), rehash: fc.constantFrom('incremental' as const, 'all-at-once' as const), sizes: fc.constantFrom('pow2' as const, 'prime' as const), rehashBatch: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 1, arbitrary: fc.integer({ min: 2, max: 600 }).map((size) => ({ type: 'resize' as const, size })) },
  { weight: 1, arbitrary: fc.constantFrom<HashTableIntent>({ type: 'setRecordType', record: { fields: ['x', 'y'], combine: 'xor' } }, { type: 'setRecordType' }) },
  { weight: 1, arbitrary: fc.constant<HashTableIntent>({ type: 'clear' }) },
);

/** Dispatches intents, skipping those the model refuses (they must change nothing). */
function drive(m: HashTableModel, intents: HashTableIntent[]): void {
  for (const intent of intents) {
    const before = JSON.stringify(m.view());
    try {
      m.dispatch(intent, noRunContext);
    } catch (e) {
      assert.ok(e instanceof UserError, `unexpected ${(e as Error).stack}`);
      assert.equal(JSON.stringify(m.view()), before, `a refused ${intent.type} changed nothing`);
    }
  }
}

test('seeking back and forth reproduces the view of a fresh run of the same steps; export/import round-trips', () => {
  fc.assert(
    fc.property(fc.array(intentArb, { maxLength: 25 }), fc.array(fc.nat(), { minLength: 1, maxLength: 6 }), (intents, seeks) => {
      const m = make({ initialSize: 4, minLoad: 0.1 });
      drive(m, intents);
      const file = m.exportSession();
      const steps = file.steps as HashTableStep[];
      const imported = load(JSON.stringify(file));
      assert.deepEqual(imported.view(), m.view(), 'import restores the same view, cursor included');
      for (const raw of seeks) {
        const n = raw % (steps.length + 1);
        m.seek(n);
        const fresh = make({ initialSize: 4, minLoad: 0.1 });
        for (const s of steps.slice(0, n)) fresh.dispatch(s as HashTableIntent, noRunContext);
        assert.deepEqual(withoutTimeline(m.view()), withoutTimeline(fresh.view()), `view after seeking to ${n} of ${steps.length}`);
        assert.equal(m.view().timeline.cursor, n);
      }
    }),
    { numRuns: 40 },
  );
});

test('the probe sequence of the last operation: a collision, a backward shift, a miss', () => {
  const m = make({ hash: 'java', initialSize: 16, strategy: 'linear', deletion: 'backshift' });
  m.dispatch({ type: 'insert', keys: ['Aa', 'BB'] }, noRunContext); // both hash to 2112, home 0
  let op = m.view().lastOp.ops[1]!;
  assert.deepEqual(op.probes, [{ table: 'main', slot: 0, outcome: 'occupied' }, { table: 'main', slot: 1, outcome: 'placed' }]);
  assert.equal(op.result, 'inserted');
  m.dispatch({ type: 'delete', key: 'Aa' }, noRunContext);
  op = m.view().lastOp.ops[0]!;
  assert.deepEqual(op.probes.map((p) => `${p.slot}:${p.outcome}`), ['0:match', '0:removed', '1:shifted', '2:empty']);
  assert.deepEqual(op.moves, [{ key: 'BB', from: 1, to: 0, cause: 'shift' }]);
  m.dispatch({ type: 'lookup', key: 'AaBB' }, noRunContext); // same hash family, absent
  op = m.view().lastOp.ops[0]!;
  assert.equal(op.result, 'missing');
  assert.deepEqual(op.probes.map((p) => `${p.slot}:${p.outcome}`), ['0:occupied', '1:empty']);
  const slots = m.view().buckets;
  assert.equal(slots.mode, 'slots');
  if (slots.mode === 'slots') assert.deepEqual(slots.tables[0]!.slots[0], { state: 'full', key: { key: 'BB', hash: 2112, home: 0, probes: 1 } });
});

test('Robin Hood swaps a richer resident; tombstones show in the view', () => {
  const m = make({ hash: 'java', initialSize: 16, strategy: 'robinhood', deletion: 'tombstone' });
  // "Ab" (home 1) sits at 1; "Aa","BB" (home 0) take 0 and then push "Ab" on.
  m.dispatch({ type: 'insert', keys: ['Ab', 'Aa', 'BB'] }, noRunContext);
  const op = m.view().lastOp.ops[2]!;
  assert.deepEqual(op.probes.map((p) => `${p.slot}:${p.outcome}`), ['0:occupied', '1:swapped', '2:placed']);
  m.dispatch({ type: 'delete', key: 'BB' }, noRunContext);
  const b = m.view().buckets;
  assert.ok(b.mode === 'slots' && b.tables[0]!.slots[1]!.state === 'tombstone' && b.tables[0]!.slots[1]!.key!.key === 'BB');
  assert.equal(m.view().metrics.tombstones, 1);
});

test('chaining records chain positions; an incremental rehash shows both tables and its progress', () => {
  const m = make({ hash: 'java', strategy: 'chaining', initialSize: 4, maxLoad: 1, minLoad: 0, rehash: 'incremental', rehashBatch: 1 });
  m.dispatch({ type: 'insert', keys: ['Aa', 'BB', 'AaAa'] }, noRunContext);
  const probes = m.view().lastOp.ops[1]!.probes;
  assert.deepEqual(probes.map((p) => [p.slot, p.node, p.outcome]), [[0, 0, 'occupied'], [0, 1, 'empty'], [0, 0, 'placed']]);
  m.dispatch({ type: 'insert', keys: ['a', 'b'] }, noRunContext);
  const v = m.view();
  assert.equal(v.rehash.active, true);
  assert.ok(v.buckets.mode === 'slots' && v.buckets.tables.map((t) => t.role).join() === 'old,new');
  m.dispatch({ type: 'lookup', key: 'Aa' }, noRunContext);
  const roles = new Set(m.view().lastOp.ops[0]!.probes.map((p) => p.table));
  assert.ok(roles.has('old') || m.view().lastOp.ops[0]!.moves.length > 0, 'the lookup consulted the old table or moved its bucket');
  for (let i = 0; i < 20 && m.view().rehash.active; i++) m.dispatch({ type: 'lookup', key: 'zz' }, noRunContext);
  assert.equal(m.view().rehash.active, false);
  const ev = m.view().resizes.events.at(-1)!;
  assert.ok(ev.done && ev.mode === 'incremental' && ev.ops > 1 && ev.keysMoved === 5);
});

test('impossible operations are UserErrors that change nothing', () => {
  const m = make({ initialSize: 16 });
  m.dispatch({ type: 'bulkInsert', generator: 'sequential', count: 100 }, noRunContext);
  const before = JSON.stringify(m.view());
  const refuse = (intent: HashTableIntent, why: RegExp): void => {
    assert.throws(() => m.dispatch(intent, noRunContext), (e: unknown) => e instanceof UserError && why.test(e.message));
    assert.equal(JSON.stringify(m.view()), before);
  };
  refuse({ type: 'resize', size: 64 }, /need at least 256 slots/);
  refuse({ type: 'setRecordType', record: { fields: ['x', 'y'], combine: 'sum' } }, /not x,y records .*Clear the table first/);
  refuse({ type: 'setResizePolicy', maxLoad: 2 }, /needs separate chaining/);
  refuse({ type: 'setResizePolicy', minLoad: 0.5 }, /too close to the max load/);
  refuse({ type: 'bulkInsert', generator: 'adversarial', count: 2_000_000 }, /colliding keys/);
  m.dispatch({ type: 'resize', size: 4096 }, noRunContext);
  const big = JSON.stringify(m.view());
  assert.throws(() => m.dispatch({ type: 'bulkInsert', generator: 'adversarial', count: 20_000 }, noRunContext), /hash evaluations; the limit is 50,000,000/);
  assert.equal(JSON.stringify(m.view()), big);

  const r = make();
  r.dispatch({ type: 'setRecordType', record: { fields: ['x', 'y'], combine: 'poly31' } }, noRunContext);
  const length = r.view().timeline.length;
  assert.throws(() => r.dispatch({ type: 'insert', keys: ['1,2', 'oops'] }, noRunContext), /"oops" is not a x,y record/);
  assert.equal(r.view().metrics.keys, 0, 'no key of the refused batch went in');
  assert.equal(r.view().timeline.length, length);
  assert.throws(() => r.seek(99), /steps 0 to 1/);
});

test('record types: the comparison part shows how XOR and sum flood buckets on the same records', () => {
  const m = make({ initialSize: 16 });
  assert.deepEqual(m.view().comparison, { active: false });
  m.dispatch({ type: 'setRecordType', record: { fields: ['x', 'y'], combine: 'xor' } }, noRunContext);
  m.dispatch({ type: 'bulkInsert', generator: 'sequential', count: 1024 }, noRunContext); // a 32 × 32 grid
  const c = m.view().comparison;
  assert.ok(c.active);
  if (!c.active) return;
  assert.equal(c.records, 1024);
  const by = Object.fromEntries(c.combines.map((x) => [x.combine, x]));
  assert.equal(by.xor!.distinctHashes, 32);
  assert.equal(by.murmur!.distinctHashes, 1024);
  assert.ok(by.xor!.maxBucket >= 32 && by.sum!.maxBucket >= 16 && by.murmur!.maxBucket < 8);
  // The table itself suffers: every key of an XOR bucket collides for real.
  assert.ok(m.view().metrics.hit.max >= 32, `max probes ${m.view().metrics.hit.max}`);
  m.dispatch({ type: 'setRecordType', record: { fields: ['x', 'y'], combine: 'murmur' } }, noRunContext);
  assert.ok(m.view().metrics.hit.max < 12, 'the same records spread out under the murmur mixer');
  assert.equal(m.view().metrics.keys, 1024);
});

test('a bulk insert reports progress, stops when cancelled and records what it did', () => {
  const m = make();
  const fractions: number[] = [];
  let calls = 0;
  const ctx: RunContext = {
    progress(f) { fractions.push(f); },
    get cancelled() { return ++calls > 5; },
  };
  m.dispatch({ type: 'bulkInsert', generator: 'random', count: 1_000_000 }, ctx);
  const v = m.view();
  assert.ok(v.metrics.keys > 0 && v.metrics.keys < 1_000_000);
  assert.match(v.lastOp.note!, new RegExp(`Inserted ${v.metrics.keys.toLocaleString('en-US')} of 1,000,000 — cancelled`));
  assert.match(v.timeline.labels.at(-1)!, /of 1,000,000 random keys \(cancelled\)/);
  assert.ok(fractions.length >= 5 && fractions.every((f, i) => i === 0 || f >= fractions[i - 1]!));
  const step = m.exportSession().steps[0] as HashTableStep;
  assert.deepEqual(step, { type: 'bulkInsert', generator: 'random', count: v.metrics.keys, requested: 1_000_000 });
  // Replaying the recorded step reaches the same table, label and note.
  const replayed = load(JSON.stringify(m.exportSession()));
  assert.deepEqual(replayed.view(), v);
});

test('views stay bounded: every slot for small tables, density cells for large ones', () => {
  const m = make({ initialSize: 16, strategy: 'chaining', maxLoad: 1 });
  m.dispatch({ type: 'bulkInsert', generator: 'sequential', count: 300 }, noRunContext);
  let b = m.view().buckets;
  assert.ok(b.mode === 'slots' && b.tables[0]!.slots.length === 512);
  m.dispatch({ type: 'bulkInsert', generator: 'sequential', count: 60_000 }, noRunContext);
  const v = m.view();
  b = v.buckets;
  assert.equal(b.mode, 'density');
  if (b.mode !== 'density') return;
  const t = b.tables[0]!;
  assert.equal(t.keys.length * t.slotsPerCell, t.size);
  assert.ok(t.keys.length <= 4096);
  assert.equal(t.keys.reduce((a, x) => a + x, 0), 60_300);
  assert.equal(v.metrics.histogram.kind, 'chain');
  assert.equal(v.metrics.histogram.counts.reduce((a, x) => a + x, 0), v.metrics.size, 'one count per bucket');
  assert.ok(JSON.stringify(v).length < 300_000, `view is ${JSON.stringify(v).length} characters`);

  // Long chains in few buckets are drawn as density cells too, so the part stays small.
  const crowded = make({ strategy: 'chaining', maxLoad: 16, initialSize: 512 });
  crowded.dispatch({ type: 'bulkInsert', generator: 'sequential', count: 8000 }, noRunContext);
  const cv = crowded.view();
  assert.equal(cv.metrics.size, 512);
  assert.equal(cv.buckets.mode, 'density');
  assert.ok(JSON.stringify(cv).length < 100_000);
});

test('broken or foreign session files are rejected with a clear reason', () => {
  const m = make();
  m.dispatch({ type: 'insert', keys: ['a', 'b'] }, noRunContext);
  m.dispatch({ type: 'resize', size: 64 }, noRunContext);
  const good = m.exportSession();
  const reject = (text: string, why: RegExp): void => assert.throws(() => load(text), (e: unknown) => e instanceof SessionFileError && why.test(e.message));
  reject('{"format": "ds-inspector.session"', /not valid JSON/);
  reject(JSON.stringify({ ...good, kind: 'ring' }), /"ring" session, not a "hashtable" session/);
  reject(JSON.stringify({ ...good, steps: [{ type: 'explode' }, good.steps[1]] }), /steps\[0\]\.type: must be one of/);
  reject(JSON.stringify({ ...good, config: { ...good.config, strategy: 'cuckoo' } }), /config\.strategy/);
  reject(JSON.stringify({ ...good, labels: ['one'] }), /2 steps but 1 labels/);
  // Well-formed but impossible: resizing two keys into… fine; but 300 keys into 64 slots is not.
  const impossible = { ...good, steps: [{ type: 'bulkInsert', generator: 'sequential', count: 300 }, { type: 'resize', size: 64 }], labels: ['bulk', 'resize'] };
  reject(JSON.stringify(impossible), /cannot be replayed: step 2 \("resize"\) fails: Cannot resize to 64/);
  assert.ok(load(JSON.stringify(good)));
});
