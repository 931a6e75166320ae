/**
 * A hash table whose hash is a function from the user's code: it must behave exactly like the same
 * function built into the engine (FNV-1a here), however the model batches its calls, and it must
 * not run without the host's permission or leave a half-done step behind when the code fails.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { build } from 'esbuild';
import fc from 'fast-check';
import { UserError, noRunContext } from '../../../extension/engines/core/model';
import { ModelClient } from '../../../extension/engines/core/modelClient';
import { parseSessionFile } from '../../../extension/engines/core/sessionFile';
import { HashTableModel, hashTableFactory } from '../../../extension/engines/hashtable';
import {
  DEFAULT_CONFIG, type ConfigPart, type HashTableConfig, type HashTableIntent, type MetricsPart, hashTableConfig, hashTableStep,
} from '../../../extension/protocol/hashtable';
import { FNV_SOURCE, sourceOf } from '../hashing/selectedHashFixtures';

const ALLOWED = { runSelectedCode: true };
const selectedTable = (c: Partial<HashTableConfig> = {}): HashTableModel =>
  new HashTableModel({ ...DEFAULT_CONFIG, hash: 'custom', customHash: FNV_SOURCE, ...c }, ALLOWED);

/** The same view with the selected function's names replaced by the built-in one's. */
function asBuiltIn(view: unknown): string {
  return JSON.stringify(view)
    .replaceAll('fnv (your code)', 'FNV-1a (32-bit)')
    .replaceAll('"hash":"custom"', '"hash":"fnv1a32"')
    .replaceAll(',"customHashName":"fnv"', '');
}

const keyArb = fc.oneof(fc.integer({ min: 0, max: 60 }).map((i) => `k${i}`), fc.constantFrom('Aa', 'BB', 'user:3'));
const intentArb: fc.Arbitrary<HashTableIntent> = fc.oneof(
  { weight: 5, arbitrary: fc.array(keyArb, { minLength: 1, maxLength: 6 }).map((keys) => ({ type: 'insert' as const, keys })) },
  { weight: 2, arbitrary: keyArb.map((key) => ({ type: 'delete' as const, key })) },
  { weight: 2, arbitrary: keyArb.map((key) => ({ type: 'lookup' as const, key })) },
  { weight: 3, arbitrary: fc.record({ type: fc.constant('bulkInsert' as const), generator: fc.constantFrom('sequential' as const, 'random' as const, 'adversarial' as const), count: fc.integer({ min: 1, max: 300 }) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('setStrategy' as const), strategy: fc.constantFrom('chaining' as const, 'linear' as const, 'double' as const, 'robinhood' as const) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('setResizePolicy' as const), rehash: fc.constantFrom('incremental' as const, 'all-at-once' as const), sizes: fc.constantFrom('pow2' as const, 'prime' as const) }) },
  { weight: 1, arbitrary: fc.integer({ min: 2, max: 600 }).map((size) => ({ type: 'resize' as const, size })) },
  { weight: 1, arbitrary: fc.constant<HashTableIntent>({ type: 'clear' }) },
);

test('a selected FNV-1a drives the table exactly as the built-in FNV-1a: inserts, bulks (adversarial too), rebuilds, seeks', () => {
  fc.assert(fc.property(fc.array(intentArb, { minLength: 1, maxLength: 14 }), fc.integer({ min: 0, max: 14 }), (intents, back) => {
    const mine = selectedTable({ initialSize: 8 });
    const builtIn = new HashTableModel({ ...DEFAULT_CONFIG, hash: 'fnv1a32', initialSize: 8 });
    for (const intent of intents) {
      const outcome = (m: HashTableModel): string => { try { m.dispatch(intent, noRunContext); return 'ok'; } catch (e) { return (e as Error).message; } };
      assert.equal(outcome(mine), outcome(builtIn), `${intent.type} ended differently`);
      assert.equal(asBuiltIn(mine.view()), asBuiltIn(builtIn.view()), `views differ after ${JSON.stringify(intent)}`);
    }
    const to = Math.max(0, intents.length - back);
    mine.seek(Math.min(to, mine.view().timeline.length));
    builtIn.seek(Math.min(to, builtIn.view().timeline.length));
    assert.equal(asBuiltIn(mine.view()), asBuiltIn(builtIn.view()), 'views differ after a seek');
  }), { numRuns: 40 });
});

test('large bulks hash in batches: 200,000 sequential keys and a switch to murmur and back cost little more than the built-in hash', () => {
  const mine = selectedTable({ strategy: 'chaining' });
  const builtIn = new HashTableModel({ ...DEFAULT_CONFIG, hash: 'fnv1a32', strategy: 'chaining' });
  const t0 = performance.now();
  mine.dispatch({ type: 'bulkInsert', generator: 'sequential', count: 200_000 }, noRunContext);
  mine.dispatch({ type: 'setHash', fn: 'murmur3_32' }, noRunContext);
  mine.dispatch({ type: 'setHash', fn: 'custom' }, noRunContext);
  const ms = performance.now() - t0;
  builtIn.dispatch({ type: 'bulkInsert', generator: 'sequential', count: 200_000 }, noRunContext);
  builtIn.dispatch({ type: 'setHash', fn: 'murmur3_32' }, noRunContext);
  builtIn.dispatch({ type: 'setHash', fn: 'fnv1a32' }, noRunContext);
  assert.equal(JSON.stringify((mine.view().metrics as MetricsPart).hit), JSON.stringify((builtIn.view().metrics as MetricsPart).hit));
  assert.ok(ms < 30_000, `took ${Math.round(ms)} ms`);
  const config = mine.view().config as ConfigPart;
  assert.equal(config.hash, 'custom');
  assert.equal(config.hashLabel, 'fnv (your code)');
  assert.equal(config.customHashName, 'fnv');
  assert.ok(!('customHash' in config), 'the code itself stays out of the view');
  assert.match(mine.view().summary.subtitle ?? '', /fnv \(your code\)/);
});

test('without the host\'s permission a table with a selected hash is not built, from settings or from a session file', () => {
  assert.throws(() => hashTableFactory.create({ ...DEFAULT_CONFIG, hash: 'custom', customHash: FNV_SOURCE }), (e: unknown) => e instanceof UserError && /runs only when you allow it/.test(e.message));
  // Even a table that does not use the function now carries it, and could switch to it on replay.
  assert.throws(() => hashTableFactory.create({ ...DEFAULT_CONFIG, hash: 'java', customHash: FNV_SOURCE }, {}), /allow it/);
  const m = selectedTable();
  m.dispatch({ type: 'insert', keys: ['alice', 'bob'] }, noRunContext);
  const text = JSON.stringify(m.exportSession());
  const file = parseSessionFile(text, { kind: 'hashtable', config: hashTableConfig, step: hashTableStep });
  assert.throws(() => hashTableFactory.fromSession(file), /allow it/);
  const back = hashTableFactory.fromSession(file, ALLOWED);
  assert.equal(JSON.stringify(back.view()), JSON.stringify(m.view()));
});

test('"custom" needs a selected function, and a table without one says how to get it', () => {
  assert.throws(() => new HashTableModel({ ...DEFAULT_CONFIG, hash: 'custom' }), /Use Selection as Hash Function/);
  const plain = new HashTableModel({ ...DEFAULT_CONFIG });
  const before = JSON.stringify(plain.view());
  assert.throws(() => plain.dispatch({ type: 'setHash', fn: 'custom' }, noRunContext), (e: unknown) => e instanceof UserError && /no hash function from your code/.test(e.message));
  assert.equal(JSON.stringify(plain.view()), before);
});

test('a selected hash that fails part way through a step leaves the table as it was before the step', () => {
  const failing = sourceOf('function h(s) { if (s === "user:1500") throw new Error("cannot hash " + s); let x = 7; for (let i = 0; i < s.length; i++) x = Math.imul(x ^ s.charCodeAt(i), 16777619); return x >>> 0; }');
  const m = new HashTableModel({ ...DEFAULT_CONFIG, hash: 'custom', customHash: failing }, ALLOWED);
  m.dispatch({ type: 'bulkInsert', generator: 'sequential', count: 1000 }, noRunContext);
  const before = JSON.stringify(m.view());
  assert.throws(() => m.dispatch({ type: 'bulkInsert', generator: 'sequential', count: 1000 }, noRunContext),
    (e: unknown) => e instanceof UserError && /threw an error for the key "user:1500": cannot hash user:1500/.test(e.message));
  assert.equal(JSON.stringify(m.view()), before, 'the failed bulk left nothing behind');
  // The generator did not move either: the next bulk starts where the failed one did.
  assert.throws(() => m.dispatch({ type: 'bulkInsert', generator: 'sequential', count: 600 }, noRunContext), /user:1500/);
  m.dispatch({ type: 'bulkInsert', generator: 'sequential', count: 400 }, noRunContext);
  assert.equal((m.view().metrics as MetricsPart).keys, 1400);
  assert.throws(() => m.dispatch({ type: 'insert', keys: ['a', 'user:1500'] }, noRunContext), /cannot hash/);
  assert.equal((m.view().metrics as MetricsPart).keys, 1400);
});

test('in a worker thread: the host\'s permission travels with the session, and a looping hash fails the step, not the worker', async () => {
  const out = join(mkdtempSync(join(tmpdir(), 'dsi-hashtable-')), 'hashtable.js');
  await build({ entryPoints: [join(__dirname, '../../../extension/engines/hashtable/worker.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: out, logLevel: 'error' });
  const loops = sourceOf('function h(s) { while (s === "spin") {} return s.length; }');
  const config = { ...DEFAULT_CONFIG, hash: 'custom', customHash: loops };
  try {
    await assert.rejects(() => ModelClient.start(out, { kind: 'hashtable', config }), /runs only when you allow it/);
    const client = await ModelClient.start(out, { kind: 'hashtable', config, options: ALLOWED });
    try {
      await client.dispatch({ type: 'insert', keys: ['alice', 'bob'] });
      await assert.rejects(() => client.dispatch({ type: 'insert', keys: ['carol', 'spin'] }), /did not return within 2000 ms/);
      await client.dispatch({ type: 'lookup', key: 'alice' });
      assert.equal((client.view['metrics'] as MetricsPart).keys, 2);
    } finally {
      await client.dispose();
    }
  } finally {
    rmSync(dirname(out), { recursive: true, force: true });
  }
});
