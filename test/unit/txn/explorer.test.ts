import assert from 'node:assert/strict';
import { test } from 'node:test';
import { explore, startRun } from '../../../extension/engines/txn';
import type { ExplorerResult } from '../../../extension/protocol/txn';
import { shortestCounterexample } from '../../../extension/protocol/txn';
import { finish } from './run';

const violated = (r: ExplorerResult): Record<string, number> => Object.fromEntries(r.violations.map((v) => [v.invariant, v.runs]));

/** Every counterexample, replayed from its fault list, breaks what it claims to break, from the step it names. */
function assertReplays(r: ExplorerResult): void {
  for (const c of r.counterexamples) {
    const run = finish(startRun(c.run));
    assert.equal(run.sim.steps, c.length, `${c.invariant}: same length on replay`);
    if (c.invariant === 'blocked') assert.equal(run.sim.state.monitor.blockedSince, c.since);
    else assert.ok(run.violated.includes(c.invariant), `${c.invariant} broken on replay of ${c.run.faults.join(',')}`);
  }
}

test('correct 2PC keeps atomicity under every placement of one and of two crashes, and blocks when the coordinator dies between votes and decision', () => {
  for (const crashes of [1, 2]) {
    const r = explore({ protocol: '2pc', participants: 3, crashes });
    assert.ok(r.complete);
    assert.deepEqual(r.violations, [], `no invariant broken with ${crashes} crash(es)`);
    assert.deepEqual(r.held, ['atomicity', 'money', 'coupon', 'consistency', 'locks']);
    assert.ok(r.blocked > 0);
    assert.equal(r.stuck, 0);
  }
  const one = explore({ protocol: '2pc', participants: 3, crashes: 1 });
  // Baseline: 40 steps; a crash of each of the 4 nodes before the first step, and after each node's own step.
  assert.equal(one.runs, 44);
  const blocked = one.counterexamples.find((c) => c.invariant === 'blocked')!;
  assert.match(blocked.run.faults[0]!, /^crash:coordinator@/);
  // The canonical case, named by its milestone: blocked, and every lock released after recovery.
  const r = finish(startRun({ protocol: '2pc', participants: 3, faults: ['crash:coordinator@after-votes'] }));
  assert.ok(r.sim.state.monitor.blockedSince !== undefined);
  assert.equal(r.status['locks'], 'holds');
  assertReplays(one);
});

test('one lost or duplicated message breaks no correct protocol; two crashes break none either', () => {
  for (const protocol of ['2pc', 'tcc', 'saga', 'outbox'] as const) {
    const m = explore({ protocol, participants: 3, crashes: 0, messages: 1 });
    assert.deepEqual(m.violations, [], `${protocol} with one message fault`);
    assert.ok(m.runs > 0 && m.complete);
  }
  for (const protocol of ['tcc', 'saga', 'outbox'] as const) {
    const c = explore({ protocol, participants: 3, crashes: 2 });
    assert.deepEqual(c.violations, [], `${protocol} with two crashes`);
    assert.ok(c.held.includes('consistency'), `${protocol} reaches eventual consistency after recovery`);
    assert.equal(c.blocked, 0, `${protocol} holds no lock in doubt`);
  }
});

test('saga and tcc undo a business failure consistently under every placement of one crash', () => {
  for (const protocol of ['saga', 'tcc'] as const) {
    const r = explore({ protocol, participants: 3, crashes: 1, faults: ['fail:coupon'] });
    assert.deepEqual(r.violations, []);
    assert.ok(r.held.includes('consistency'));
  }
});

test('planted bug commit-before-log (2pc) is found with one crash, with a counterexample that replays', () => {
  const r = explore({ protocol: '2pc', participants: 3, crashes: 1, variant: 'commit-before-log' });
  const v = violated(r);
  assert.ok(v['atomicity']! > 0, 'atomicity broken');
  const atomicity = r.counterexamples.find((c) => c.invariant === 'atomicity')!;
  assert.match(atomicity.run.faults.join(), /^crash:coordinator@step:\d+$/);
  assert.equal(atomicity.run.variant, 'commit-before-log');
  assertReplays(r);
  const run = finish(startRun(atomicity.run));
  assert.equal(run.sim.outcome(), 'mixed');
});

test('planted bug non-idempotent-compensation (saga) is found: by two crashes, and by one duplicated message after a failure', () => {
  const crashes = explore({ protocol: 'saga', participants: 3, crashes: 2, variant: 'non-idempotent-compensation' });
  assert.ok(violated(crashes)['money']! > 0);
  assertReplays(crashes);
  const dup = explore({ protocol: 'saga', participants: 3, crashes: 0, messages: 1, variant: 'non-idempotent-compensation', faults: ['fail:coupon'] });
  assert.ok(violated(dup)['money']! > 0);
  const best = shortestCounterexample(dup)!;
  assert.equal(best.invariant, 'money');
  assert.deepEqual(best.run.faults.slice(0, 1), ['fail:coupon']);
  assert.match(best.run.faults[1]!, /^(dup|lose):msg:\d+:from=\d+$/);
  assertReplays(dup);
  // The correct saga under the same placements keeps its money.
  assert.deepEqual(explore({ protocol: 'saga', participants: 3, crashes: 0, messages: 1, faults: ['fail:coupon'] }).violations, []);
});

test('planted bug no-consumer-dedup (outbox) is found by one duplicated message', () => {
  const r = explore({ protocol: 'outbox', participants: 3, crashes: 0, messages: 1, variant: 'no-consumer-dedup' });
  assert.ok(violated(r)['money']! > 0 && violated(r)['coupon']! > 0);
  assertReplays(r);
});

test('the explorer reports progress, stops when cancelled and says its result is incomplete', () => {
  const fractions: number[] = [];
  let polls = 0;
  const r = explore({ protocol: '2pc', participants: 3, crashes: 2 }, {
    progress: (f) => fractions.push(f),
    get cancelled() { return ++polls > 20; },
  });
  assert.equal(r.complete, false);
  assert.deepEqual(r.held, [], 'an incomplete search claims nothing held');
  assert.ok(r.runs > 0 && r.runs < 1352, `${r.runs} runs before the cancel`);
  assert.ok(fractions.length > 0 && fractions.every((f) => f >= 0 && f <= 1));
  const capped = explore({ protocol: 'saga', participants: 3, crashes: 2 }, undefined, { maxRuns: 10 });
  assert.equal(capped.runs, 10);
  assert.equal(capped.complete, false);
});

test('every explored run, re-run from scratch from its recorded faults, ends the same way (branching on copies is exact)', () => {
  const seen: { run: Parameters<typeof startRun>[0]; steps: number; violated: string[] }[] = [];
  const r = explore({ protocol: 'saga', participants: 3, crashes: 1, messages: 1, variant: 'non-idempotent-compensation', faults: ['fail:coupon'] }, undefined, {
    onRun: (run, steps, violated) => seen.push({ run, steps, violated }),
  });
  assert.equal(seen.length, r.runs);
  assert.ok(seen.some((s) => s.violated.length > 0) && seen.some((s) => s.violated.length === 0));
  for (const s of seen) {
    const again = finish(startRun(s.run));
    assert.equal(again.sim.steps, s.steps, s.run.faults.join(','));
    assert.deepEqual(again.violated, s.violated, s.run.faults.join(','));
  }
});
