/**
 * Per-key ordering: key-hash dispatch never breaks the order in which a key's messages reached the
 * consumer, whatever the schedule (seeds, service-time spread, broker faults, crashes, checks,
 * rebalances); round robin does break it for some schedules. Orders are checked against the
 * execution log itself, not only the engine's own counter.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { DispatchMode, LabSettings } from '../../../extension/protocol/idempotency';
import { CHECK_MODES, PARTITIONERS, defaultSettings } from '../../../extension/protocol/idempotency';
import { driveMemory } from '../../../extension/engines/idempotency/drivers';
import { MemoryKeyspace } from '../../../extension/engines/idempotency/memoryStore';
import { DeliverySim, initialSimState, type SimState } from '../../../extension/engines/idempotency/simulation';

interface Run {
  state: SimState;
  /** Per key, the produced seq of each first execution, in execution order. */
  firstRuns: Map<string, number[]>;
}

function simulate(seed: number, settings: LabSettings, messages: number, rebalanceTo?: { at: number; workers: number }): Run {
  const state = initialSimState(seed, settings);
  const sim = new DeliverySim(state);
  const ks = new MemoryKeyspace({ now: () => state.now });
  sim.produce(messages, 'payment');
  if (rebalanceTo) {
    driveMemory(sim.run(rebalanceTo.at), ks);
    state.settings.workers = rebalanceTo.workers;
    driveMemory(sim.reassign(), ks);
  }
  driveMemory(sim.run(Infinity), ks);
  assert.ok(state.lanes.length < 600, 'the whole execution log is still in the lane buffer');
  const firstRuns = new Map<string, number[]>();
  for (const item of state.lanes) {
    if (item.kind !== 'executed' || item.slipped) continue;
    const list = firstRuns.get(item.key) ?? [];
    list.push(item.seq);
    firstRuns.set(item.key, list);
  }
  return { state, firstRuns };
}

const inversions = (seqs: number[]): number => {
  let max = -1;
  let n = 0;
  for (const s of seqs) {
    if (s < max) n++;
    max = Math.max(max, s);
  }
  return n;
};
const totalInversions = (r: Run): number => [...r.firstRuns.values()].reduce((a, s) => a + inversions(s), 0);

const noFaults = { duplicateRate: 0, reorderRate: 0, maxDelayMs: 0, ackLossRate: 0, crashRate: 0, ackTimeoutMs: 600_000, maxDeliveries: 10 };

const workload = fc.record({
  seed: fc.integer({ min: 0, max: 0xffffffff }),
  workers: fc.integer({ min: 1, max: 16 }),
  keys: fc.integer({ min: 1, max: 12 }),
  skew: fc.double({ min: 0, max: 3, noNaN: true }),
  serviceMs: fc.integer({ min: 1, max: 40 }),
  serviceJitter: fc.double({ min: 0, max: 0.95, noNaN: true }),
  produceIntervalMs: fc.integer({ min: 0, max: 10 }),
  messages: fc.integer({ min: 1, max: 60 }),
  partitioner: fc.constantFrom(...PARTITIONERS),
});

test('key-hash dispatch, no broker faults: every key runs in the order it was produced, for any schedule', () => {
  fc.assert(
    fc.property(workload, (w) => {
      const r = simulate(w.seed, { ...defaultSettings(), ...w, dispatch: 'keyhash', faults: noFaults }, w.messages);
      assert.equal(totalInversions(r), 0);
      assert.equal(r.state.counters.orderViolations, 0);
      assert.equal(r.state.counters.effects, w.messages);
    }),
    { numRuns: 300 },
  );
});

test('key-hash dispatch keeps arrival order under duplicates, reordering, lost acks, crashes, every check, and a rebalance', () => {
  const faults = fc.record({
    duplicateRate: fc.double({ min: 0, max: 1, noNaN: true }),
    reorderRate: fc.double({ min: 0, max: 1, noNaN: true }),
    maxDelayMs: fc.integer({ min: 0, max: 300 }),
    ackLossRate: fc.double({ min: 0, max: 0.5, noNaN: true }),
    crashRate: fc.double({ min: 0, max: 0.5, noNaN: true }),
    ackTimeoutMs: fc.integer({ min: 1, max: 500 }),
    maxDeliveries: fc.integer({ min: 1, max: 6 }),
  });
  fc.assert(
    fc.property(workload, faults, fc.constantFrom(...CHECK_MODES), fc.option(fc.record({ at: fc.integer({ min: 0, max: 300 }), workers: fc.integer({ min: 1, max: 16 }) })), (w, f, check, rebalance) => {
      const r = simulate(w.seed, { ...defaultSettings(), ...w, check, dispatch: 'keyhash', faults: f }, Math.min(w.messages, 30), rebalance ?? undefined);
      // Violations may come from the broker (a delayed or redelivered message); never from dispatch.
      assert.equal(r.state.counters.violationsByDispatch, 0);
      assert.equal(r.state.counters.orderViolations, totalInversions(r), 'the counter matches the execution log');
    }),
    { numRuns: 300 },
  );
});

test('a single consumer keeps per-key order too, at the speed of one thread', () => {
  fc.assert(
    fc.property(workload, (w) => {
      const r = simulate(w.seed, { ...defaultSettings(), ...w, dispatch: 'single', faults: noFaults }, w.messages);
      assert.equal(totalInversions(r), 0);
      assert.equal(r.state.workers.length, 1);
    }),
    { numRuns: 100 },
  );
});

test('round robin breaks per-key order for some schedules, and every break is counted as a dispatch violation', () => {
  let broken = 0;
  fc.assert(
    fc.property(workload, (w) => {
      const r = simulate(w.seed, { ...defaultSettings(), ...w, dispatch: 'roundrobin', faults: noFaults }, w.messages);
      const inv = totalInversions(r);
      assert.equal(r.state.counters.orderViolations, inv);
      assert.equal(r.state.counters.violationsByDispatch, inv);
      if (inv > 0) broken++;
    }),
    { numRuns: 300 },
  );
  assert.ok(broken > 0, 'round robin kept order in all 300 schedules');
});

test('round robin, witness: two messages of one key on two workers, the second one faster', () => {
  const settings: LabSettings = { ...defaultSettings(), dispatch: 'roundrobin' as DispatchMode, workers: 2, keys: 1, serviceMs: 20, serviceJitter: 0.9, produceIntervalMs: 0, faults: noFaults };
  const seed = [...Array(100).keys()].find((s) => simulate(s, settings, 2).state.counters.violationsByDispatch === 1);
  assert.ok(seed !== undefined, 'some seed makes the second message finish first');
  const r = simulate(seed, settings, 2);
  assert.deepEqual(r.firstRuns.get('acct-1'), [1, 0]);
});
