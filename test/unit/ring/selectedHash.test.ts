/**
 * A hash ring whose hash is a function from the user's code: every scheme must place keys and
 * servers exactly as with the same function built into the engine (FNV-1a here), the function
 * must not run without the host's permission, and a key it cannot hash fails the step cleanly.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ManualClock } from '../../../extension/engines/core/clock';
import { UserError, noRunContext } from '../../../extension/engines/core/model';
import { parseSessionFile } from '../../../extension/engines/core/sessionFile';
import { RingModel, ringFactory } from '../../../extension/engines/ring';
import { ringStepSchema } from '../../../extension/engines/ring/model';
import { type RingConfig, type RingIntent, ringConfigSchema } from '../../../extension/protocol/ring';
import { FNV_SOURCE, sourceOf } from '../hashing/selectedHashFixtures';

const ALLOWED = { runSelectedCode: true };
const config = (over: Partial<RingConfig> = {}): RingConfig => ({ ...ringFactory.defaults(), vnodes: 40, ...over });
const selectedRing = (over: Partial<RingConfig> = {}): RingModel => new RingModel(config({ hash: 'custom', customHash: FNV_SOURCE, ...over }), new ManualClock(), ALLOWED);

/** The same view with the selected function's names replaced by the built-in one's, and timings left out. */
function asBuiltIn(view: unknown): string {
  return JSON.stringify(view, (k, v: unknown) => (k === 'lookupNs' ? 0 : k === 'customHashName' ? undefined : v))
    .replaceAll('"hash":"custom"', '"hash":"fnv1a32"')
    .replace(/hash → fnv(?!1a32)/g, 'hash → fnv1a32')
    .replaceAll(',"custom"]', ']');
}

const intentArb: fc.Arbitrary<RingIntent> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ type: fc.constant('insertKeys' as const), count: fc.integer({ min: 1, max: 3000 }), seed: fc.integer({ min: 0, max: 99 }) }) },
  { weight: 1, arbitrary: fc.array(fc.string({ unit: 'grapheme-ascii', maxLength: 8 }), { minLength: 1, maxLength: 5 }).map((keys) => ({ type: 'insertKeyList' as const, keys })) },
  { weight: 2, arbitrary: fc.integer({ min: 6, max: 9 }).map((i) => ({ type: 'addServer' as const, name: `s${i}` })) },
  { weight: 1, arbitrary: fc.constantFrom('s1', 's2', 's3').map((name) => ({ type: 'failServer' as const, name })) },
  { weight: 1, arbitrary: fc.constantFrom('s4', 's5').map((name) => ({ type: 'removeServer' as const, name })) },
  { weight: 2, arbitrary: fc.constantFrom('modulo' as const, 'ring' as const, 'jump' as const, 'rendezvous' as const, 'maglev' as const, 'bounded' as const).map((scheme) => ({ type: 'setScheme' as const, scheme })) },
  { weight: 1, arbitrary: fc.constantFrom('k1', 'user:9').map((key) => ({ type: 'probeKey' as const, key })) },
);

test('every scheme places keys and servers with a selected FNV-1a exactly as with the built-in one', () => {
  fc.assert(fc.property(fc.array(intentArb, { minLength: 1, maxLength: 8 }), (intents) => {
    const mine = selectedRing();
    const builtIn = new RingModel(config({ hash: 'fnv1a32' }), new ManualClock());
    for (const intent of intents) {
      const outcome = (m: RingModel): string => { try { m.dispatch(intent, noRunContext); return 'ok'; } catch (e) { return (e as Error).message; } };
      assert.equal(outcome(mine), outcome(builtIn), `${intent.type} ended differently`);
      assert.equal(asBuiltIn(mine.view()), asBuiltIn(builtIn.view()), `views differ after ${JSON.stringify(intent)}`);
    }
  }), { numRuns: 30 });
});

test('switching between the selected hash and a named one is a step like any other, with its movement report', () => {
  const mine = selectedRing();
  const builtIn = new RingModel(config({ hash: 'fnv1a32' }), new ManualClock());
  const steps: [RingIntent, RingIntent][] = [
    [{ type: 'insertKeys', count: 50_000, seed: 4 }, { type: 'insertKeys', count: 50_000, seed: 4 }],
    [{ type: 'setHash', hash: 'murmur3_32' }, { type: 'setHash', hash: 'murmur3_32' }],
    [{ type: 'setHash', hash: 'custom' }, { type: 'setHash', hash: 'fnv1a32' }],
    [{ type: 'compareSchemes' }, { type: 'compareSchemes' }],
  ];
  for (const [a, b] of steps) {
    mine.dispatch(a, noRunContext);
    builtIn.dispatch(b, noRunContext);
  }
  assert.equal(asBuiltIn(mine.view()), asBuiltIn(builtIn.view()));
  const v = mine.view();
  assert.equal(v.settings.hash, 'custom');
  assert.equal(v.settings.customHashName, 'fnv');
  assert.deepEqual(v.settings.hashes.slice(-1), ['custom']);
  assert.equal(v.movement?.label, 'hash → fnv');
  assert.equal(v.comparison?.rows.length, 7);
});

test('without the host\'s permission a ring with a selected hash is not built, from settings or from a session file', () => {
  assert.throws(() => ringFactory.create(config({ hash: 'custom', customHash: FNV_SOURCE })), (e: unknown) => e instanceof UserError && /runs only when you allow it/.test(e.message));
  const m = selectedRing();
  m.dispatch({ type: 'insertKeys', count: 1000, seed: 1 }, noRunContext);
  const file = parseSessionFile(JSON.stringify(m.exportSession()), { kind: 'ring', config: ringConfigSchema, step: ringStepSchema });
  assert.throws(() => ringFactory.fromSession(file), /allow it/);
  assert.equal(JSON.stringify(ringFactory.fromSession(file, ALLOWED).view()), JSON.stringify(m.view()));
  const plain = new RingModel(config(), new ManualClock());
  assert.throws(() => plain.dispatch({ type: 'setHash', hash: 'custom' }, noRunContext), /no hash function from your code/);
});

test('a key the selected hash cannot hash fails its step and changes nothing', () => {
  const m = new RingModel(config({ hash: 'custom', customHash: sourceOf('function h(s) { if (s.startsWith("bad")) throw new Error("no bad keys"); return s.length * 2654435761; }') }), new ManualClock(), ALLOWED);
  m.dispatch({ type: 'insertKeyList', keys: ['a', 'bb', 'ccc'] }, noRunContext);
  const before = JSON.stringify(m.view());
  assert.throws(() => m.dispatch({ type: 'insertKeyList', keys: ['dddd', 'bad1'] }, noRunContext), /threw an error for the key "bad1": no bad keys/);
  assert.throws(() => m.dispatch({ type: 'probeKey', key: 'bad2' }, noRunContext), /no bad keys/);
  assert.equal(JSON.stringify(m.view()), before);
});
