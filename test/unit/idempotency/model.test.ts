import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { UserError, noRunContext, type RunContext } from '../../../extension/engines/core/model';
import { parseSessionFile } from '../../../extension/engines/core/sessionFile';
import { freePort } from '../../services/process';
import type { CountersPart, IdempotencyIntent, LabSettings, LedgerPart, StorePart } from '../../../extension/protocol/idempotency';
import { defaultSettings, intentSchema } from '../../../extension/protocol/idempotency';
import { IdempotencyModel, idempotencyFactory } from '../../../extension/engines/idempotency/model';

const quiet = { duplicateRate: 0, reorderRate: 0, maxDelayMs: 0, ackLossRate: 0, crashRate: 0, ackTimeoutMs: 300, maxDeliveries: 10 };

function lab(settings: Partial<LabSettings> = {}, seed = 1): IdempotencyModel {
  return new IdempotencyModel({ seed, settings: { ...defaultSettings(), ...settings } });
}
async function act(m: IdempotencyModel, ...intents: IdempotencyIntent[]): Promise<void> {
  for (const i of intents) await m.dispatch(i, noRunContext);
}
const counters = (m: IdempotencyModel): CountersPart => m.view().counters as CountersPart;
const ledger = (m: IdempotencyModel): LedgerPart => m.view().ledger as LedgerPart;
const store = (m: IdempotencyModel): StorePart => m.view().store as StorePart;

test('weak check: a duplicate inside the TTL is dropped; one after the TTL slips through and charges twice', async () => {
  const m = lab({ check: 'weak', ttlMs: 1000, faults: quiet });
  await act(m, { type: 'send', count: 1 }, { type: 'duplicate' });
  assert.equal(counters(m).duplicatesDropped, 1);
  assert.equal(counters(m).duplicatesSlipped, 0);
  const row = store(m).rows.find((r) => r.key === 'weak:payment:m1');
  assert.ok(row && row.check === 'weak' && row.ttlMs > 0 && row.ttlMs <= 1000, JSON.stringify(store(m).rows));
  await act(m, { type: 'advance', ms: 1500 });
  assert.equal(store(m).total, 0, 'the key expired');
  await act(m, { type: 'duplicate', message: 'm1' });
  const c = counters(m);
  assert.equal(c.duplicatesSlipped, 1);
  assert.equal(c.effects, 2);
  const l = ledger(m);
  assert.equal(l.totals.doubleCharges, 1);
  assert.equal(l.totals.charged, 2 * l.totals.expected);
  assert.equal(l.totals.overcharged, l.totals.expected);
});

test('check off: the ledger shows the double charges that broker duplicates cause; strong: none', async () => {
  const faults = { ...quiet, duplicateRate: 0.3, maxDelayMs: 50 };
  const off = lab({ check: 'off', faults });
  const strong = lab({ check: 'strong', ttlMs: 60_000, faults, dispatch: 'roundrobin', workers: 8 });
  await act(off, { type: 'send', count: 300 });
  await act(strong, { type: 'send', count: 300 });
  assert.ok(ledger(off).totals.overcharged > 0 && counters(off).duplicatesSlipped > 50);
  assert.equal(counters(strong).duplicatesSlipped, 0);
  assert.equal(ledger(strong).totals.overcharged, 0);
  assert.equal(counters(strong).effects, 300);
  assert.ok(counters(strong).duplicatesDropped > 50);
});

test('strong check: concurrent duplicates on other workers wait for the record and get its stored result', async () => {
  // Every message gets a copy a few ms later, while the first is still being processed on another worker.
  const m = lab({ check: 'strong', ttlMs: 60_000, dispatch: 'roundrobin', workers: 8, serviceMs: 50, faults: { ...quiet, duplicateRate: 1, maxDelayMs: 5 } });
  await act(m, { type: 'send', count: 20 });
  const c = counters(m);
  assert.equal(c.effects, 20);
  assert.equal(c.duplicatesSlipped, 0);
  assert.ok(c.waits > 0, 'some duplicates found the record in progress');
  assert.equal(c.duplicatesDropped, 20);
});

test('crashes: weak loses messages (the key was set, every retry is dropped); strong recovers them once the lease expires', async () => {
  const faults = { ...quiet, crashRate: 0.3, ackTimeoutMs: 300 };
  const weak = lab({ check: 'weak', ttlMs: 60_000, faults });
  const strong = lab({ check: 'strong', ttlMs: 60_000, leaseMs: 200, faults });
  await act(weak, { type: 'send', count: 200 });
  await act(strong, { type: 'send', count: 200 });
  assert.ok(counters(weak).lost > 10, `weak lost ${counters(weak).lost}`);
  const c = counters(strong);
  assert.ok(c.crashes > 10);
  assert.equal(c.lost, 0);
  assert.equal(c.effects, 200, 'every message ran exactly once');
  assert.equal(c.duplicatesSlipped, 0);
});

test('strong check: a lease shorter than the work fences the late holder off instead of charging twice', async () => {
  const m = lab({ check: 'strong', leaseMs: 5, serviceMs: 40, serviceJitter: 0, ttlMs: 60_000, dispatch: 'roundrobin', workers: 4, faults: { ...quiet, duplicateRate: 1, maxDelayMs: 20 } });
  await act(m, { type: 'send', count: 50 });
  const c = counters(m);
  assert.ok(c.fenced > 0, 'late completions were refused');
  assert.equal(c.duplicatesSlipped, 0);
  assert.equal(ledger(m).totals.overcharged, 0);
});

test('strong check: the same message id with a changed payload is rejected, and the record shows the fingerprint', async () => {
  const m = lab({ check: 'strong', faults: quiet });
  await act(m, { type: 'send', count: 1 }, { type: 'duplicate', changePayload: true });
  assert.equal(counters(m).conflicts, 1);
  assert.equal(counters(m).effects, 1);
  const row = store(m).rows[0]!;
  assert.equal(row.state, 'succeeded');
  assert.match(row.fingerprint ?? '', /^[0-9a-f]{16}$/);
  assert.match(row.result ?? '', /^charged \d+ to acct-\d+$/);
  assert.match(m.view().timeline.labels.at(-1)!, /rejected \(payload changed\)/);
});

test('the same seed and intents give the same run; another seed gives another', async () => {
  const intents: IdempotencyIntent[] = [{ type: 'send', count: 150 }, { type: 'setDispatch', dispatch: 'roundrobin' }, { type: 'send', count: 50, skew: 2 }];
  const a = lab({}, 7);
  const b = lab({}, 7);
  const c = lab({}, 8);
  await act(a, ...intents);
  await act(b, ...intents);
  await act(c, ...intents);
  assert.deepEqual(a.view(), b.view());
  assert.notDeepEqual(a.view().counters, c.view().counters);
});

const intentArb: fc.Arbitrary<IdempotencyIntent> = fc.oneof(
  fc.record({ type: fc.constant('send' as const), count: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ type: fc.constant('duplicate' as const) }),
  fc.record({ type: fc.constant('advance' as const), ms: fc.integer({ min: 1, max: 5000 }) }),
  fc.record({ type: fc.constant('setCheck' as const), check: fc.constantFrom('off' as const, 'weak' as const, 'strong' as const) }),
  fc.record({ type: fc.constant('setWorkers' as const), workers: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ type: fc.constant('setDispatch' as const), dispatch: fc.constantFrom('single' as const, 'roundrobin' as const, 'keyhash' as const) }),
  fc.record({ type: fc.constant('setTtl' as const), ttlMs: fc.integer({ min: 1, max: 3000 }) }),
  fc.record({ type: fc.constant('setFaults' as const), crashRate: fc.double({ min: 0, max: 0.5, noNaN: true }) }),
  fc.record({ type: fc.constant('useMemory' as const) }),
);

test('seeking to any step shows exactly the view that step had, and an exported session replays to the same views', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(intentArb, { minLength: 1, maxLength: 12 }), fc.integer({ min: 0, max: 1000 }), async (intents, seed) => {
      const m = lab({}, seed);
      const views = [JSON.stringify(m.view().counters) + JSON.stringify(m.view().store)];
      for (const i of intents) {
        try {
          await m.dispatch(i, noRunContext);
        } catch (e) {
          assert.ok(e instanceof UserError, String(e));
          continue;
        }
        views.push(JSON.stringify(m.view().counters) + JSON.stringify(m.view().store));
      }
      const file = parseSessionFile(JSON.stringify(m.exportSession()), { kind: 'idempotency', config: idempotencyFactory.configSchema, step: idempotencyFactory.stepSchema });
      const copy = idempotencyFactory.fromSession(file) as IdempotencyModel;
      for (const n of [...views.keys()].reverse().concat([...views.keys()])) {
        m.seek(n);
        copy.seek(n);
        assert.equal(JSON.stringify(m.view().counters) + JSON.stringify(m.view().store), views[n], `step ${n}`);
        assert.deepEqual(copy.view(), m.view());
      }
    }),
    { numRuns: 25 },
  );
});

test('a cancelled run is recorded where it stopped and redone to the same point', async () => {
  const m = lab();
  let ticks = 0;
  const ctx: RunContext = { progress: () => {}, get cancelled() { return ++ticks > 2000; } };
  await m.dispatch({ type: 'send', count: 5000 }, ctx);
  const stopped = JSON.stringify(m.view().counters);
  assert.ok(counters(m).produced < 5000, 'the run stopped early');
  assert.match(m.view().timeline.labels[0]!, /\(stopped\)/);
  m.seek(0);
  m.seek(1);
  assert.equal(JSON.stringify(m.view().counters), stopped);
  await act(m, { type: 'advance', ms: 60_000 });
  assert.equal(counters(m).produced, 5000, 'advancing continues the stopped send');
});

test('mistakes get clear errors and change nothing', async () => {
  const m = lab();
  await assert.rejects(m.dispatch({ type: 'duplicate' }, noRunContext), /no message to send again yet/);
  await act(m, { type: 'send', count: 3 });
  await assert.rejects(m.dispatch({ type: 'duplicate', message: 'm9' }, noRunContext), /no message m9; messages run from m1 to m3/);
  await assert.rejects(m.dispatch({ type: 'useRedis', url: 'http://localhost' }, noRunContext), /redis:\/\//);
  const port = await freePort();
  await assert.rejects(m.dispatch({ type: 'useRedis', url: `redis://127.0.0.1:${port}` }, noRunContext), (e: unknown) => e instanceof UserError && /Could not connect to Redis/.test((e as Error).message));
  assert.equal(m.view().timeline.length, 1);
  assert.equal((m.view().settings as { store: { kind: string } }).store.kind, 'memory');
  for (const bad of [{ type: 'send', count: 0 }, { type: 'send', count: 1, extra: 1 }, { type: 'setWorkers', workers: 65 }, { type: 'setCheck', check: 'medium' }, { type: 'duplicate', message: '../x' }])
    assert.equal(intentSchema.parse(bad).ok, false, JSON.stringify(bad));
});

test('the view stays small: bounded lanes and store table, whatever the run', async () => {
  const m = lab({ check: 'weak', ttlMs: 600_000 });
  await act(m, { type: 'send', count: 3000 });
  const v = m.view();
  assert.ok((v.lanes as { items: unknown[] }).items.length <= 300);
  assert.ok(store(m).rows.length <= 50 && store(m).total >= 3000);
  assert.ok(JSON.stringify(v).length < 200_000, `${JSON.stringify(v).length} bytes`);
});
