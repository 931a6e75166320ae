import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UserError, noRunContext } from '../../../extension/engines/core/model';
import { parseSessionFile } from '../../../extension/engines/core/sessionFile';
import { parseRunFile, txnFactory } from '../../../extension/engines/txn';
import type { TxnIntent, TxnView } from '../../../extension/protocol/txn';
import { TXN_LIMITS, txnIntentSchema } from '../../../extension/protocol/txn';

function model(initial = true) {
  const m = txnFactory.create(initial ? txnFactory.defaults() : {});
  const view = (): TxnView => m.view() as TxnView;
  const go = (intent: TxnIntent): void => { m.dispatch(intent, noRunContext) as void; };
  return { m, view, go };
}

test('a new session runs the default order and shows it settled, every step on the timeline', () => {
  const { view } = model();
  const v = view();
  assert.equal(v.run!.status, 'settled');
  assert.equal(v.run!.outcome, 'committed');
  assert.equal(v.timeline.length, v.lanes!.length + 1, 'one begin entry, then one entry per run step');
  assert.equal(v.lanes!.nodes.length, 6);
  assert.ok(v.lanes!.arrows.every((a) => a.fate === 'delivered' && a.recvStep! > a.sendStep));
  assert.ok(v.lanes!.locks.every((l) => l.end === 'released'));
  assert.deepEqual(v.invariants!.items.map((i) => i.status), ['holds', 'holds', 'holds', 'holds', 'holds']);
  assert.equal(v.balances!.moneyTotal, v.balances!.moneyInitial);
  assert.equal(v.history.length, 1);
});

test('stepping back and forward walks through a run; seek(stepOffset + s) shows run step s', () => {
  const { m, view, go } = model(false);
  go({ type: 'run', run: { protocol: '2pc', participants: 3, faults: ['crash:coordinator@after-votes'] } });
  const end = view();
  const offset = end.lanes!.stepOffset;
  const crashStep = end.lanes!.down[0]!.from;
  m.seek(offset + crashStep);
  let v = view();
  assert.equal(v.lanes!.cursor, crashStep);
  assert.equal(v.lanes!.nodes[0]!.up, false, 'the coordinator is down right after its crash');
  assert.ok(v.lanes!.nodes.slice(1).every((n) => n.inDoubt));
  assert.deepEqual(v.invariants!.items.find((i) => i.name === 'locks')!.status, 'pending');
  go({ type: 'step', direction: 'back' });
  v = view();
  assert.equal(v.lanes!.cursor, crashStep - 1);
  assert.equal(v.lanes!.nodes[0]!.up, true);
  assert.ok(v.lanes!.arrows.every((a) => a.sendStep <= crashStep - 1), 'only the past is drawn');
  go({ type: 'step', direction: 'forward', count: 5 });
  assert.equal(view().lanes!.cursor, crashStep + 4);
  m.seek(end.timeline.length);
  assert.deepEqual(view().lanes, end.lanes);
  assert.throws(() => go({ type: 'step', direction: 'forward' }), /has settled/);
});

test('a run started without settling is stepped forward one simulation step at a time', () => {
  const { view, go } = model(false);
  go({ type: 'run', run: { protocol: 'saga', participants: 3, faults: [] }, settle: false });
  assert.equal(view().run!.status, 'ready');
  go({ type: 'step', direction: 'forward', count: 3 });
  const v = view();
  assert.equal(v.run!.step, 3);
  assert.equal(v.run!.status, 'running');
  assert.equal(v.timeline.length, 4);
  assert.match(v.timeline.labels[3]!, /^3\. orchestrator → order: do step 0 #1$/);
  assert.equal(v.lanes!.arrows[0]!.fate, 'in-flight');
});

test('inject at the cursor branches the run; what-if replaces the faults not fired yet; history replays exactly', () => {
  const { m, view, go } = model(false);
  go({ type: 'run', run: { protocol: '2pc', participants: 3, faults: [] } });
  const plain = view();
  m.seek(plain.lanes!.stepOffset + 20);
  go({ type: 'inject', fault: 'crash:coordinator@step:20' });
  const injected = view();
  assert.equal(injected.history.length, 1, 'the branch replaced the rest of the same run');
  assert.deepEqual(injected.run!.faults, ['crash:coordinator@step:20']);
  assert.ok(injected.invariants!.blockedSince !== undefined);

  go({ type: 'whatIf', at: 10, fault: 'lose:vote<-payment' });
  const whatIf = view();
  assert.deepEqual(whatIf.run!.faults, ['lose:vote<-payment:from=10'], 'the crash (not fired by step 10) is replaced');
  assert.equal(whatIf.run!.outcome, 'aborted');
  assert.equal(whatIf.lanes!.arrows.filter((a) => a.fate === 'lost').length, 1);

  go({ type: 'replay', run: whatIf.history[0]!.run });
  const replay = view();
  assert.equal(replay.run!.step, 0);
  assert.equal(replay.history.length, 2);
  go({ type: 'step', direction: 'forward', count: TXN_LIMITS.maxRunSteps });
  assert.deepEqual(view().lanes!.arrows, whatIf.lanes!.arrows);
  assert.deepEqual(view().balances, whatIf.balances);
});

test('injections that cannot act and intents without a run are refused with a reason, and record nothing', () => {
  const { view, go } = model(false);
  assert.throws(() => go({ type: 'inject', fault: 'crash:coordinator@start' }), (e: Error) => e instanceof UserError && /There is no run yet/.test(e.message));
  go({ type: 'run', run: { protocol: 'tcc', participants: 3, faults: [] } });
  const before = view().timeline.length;
  assert.throws(() => go({ type: 'inject', fault: 'lose:confirm' }), /changes nothing: the run has settled/);
  assert.throws(() => go({ type: 'inject', fault: 'fail:payment' }), /business failure is part of the data/);
  assert.throws(() => go({ type: 'inject', fault: 'crash:broker@start' }), /no node "broker"/);
  assert.throws(() => go({ type: 'whatIf', at: 9999, fault: 'lose:try' }), /no step 9999/);
  assert.throws(() => go({ type: 'run', run: { protocol: 'tcc', participants: 3, faults: ['explode:now'] } }), /not a fault kind/);
  assert.equal(view().timeline.length, before);
  // A crash injected after the run settled still acts: the node crashes and recovers.
  go({ type: 'inject', fault: 'crash:payment@start' });
  assert.ok(view().lanes!.down.some((d) => d.node === 'payment' && d.to !== undefined));
});

test('intent schema: untrusted intents are rejected with the field that is wrong', () => {
  const bad = [
    [{ type: 'run', run: { protocol: '3pc', participants: 3, faults: [] } }, /run\.protocol/],
    [{ type: 'run', run: { protocol: '2pc', participants: 99, faults: [] } }, /run\.participants: must be ≤ 12/],
    [{ type: 'run', run: { protocol: '2pc', participants: 3, faults: ['x'.repeat(500)] } }, /faults\[0\]/],
    [{ type: 'explore', spec: { protocol: 'saga', participants: 3, crashes: 9 } }, /spec\.crashes: must be ≤ 3/],
    [{ type: 'step', direction: 'sideways' }, /direction/],
  ] as const;
  for (const [intent, message] of bad) {
    const r = txnIntentSchema.parse(intent, 'intent');
    assert.ok(!r.ok && message.test(r.error), JSON.stringify(intent));
  }
});

test('explorations stay beside the timeline: scrubbing keeps them, export and import carry them and the runs', () => {
  const { m, view, go } = model(false);
  go({ type: 'run', run: { protocol: '2pc', participants: 3, faults: ['crash:coordinator@after-votes'] } });
  go({ type: 'explore', spec: { protocol: '2pc', participants: 3, crashes: 1, variant: 'commit-before-log' } });
  assert.equal(view().explorer.length, 1);
  m.seek(3);
  assert.equal(view().explorer.length, 1);
  assert.ok(view().explorer[0]!.violations.some((v) => v.invariant === 'atomicity'));
  assert.throws(() => go({ type: 'explore', spec: { protocol: 'tcc', participants: 3, crashes: 1, variant: 'commit-before-log' } }), /planted bug in 2pc/);

  const file = m.exportSession();
  const text = JSON.stringify(file);
  const back = txnFactory.fromSession(parseSessionFile(text, { kind: 'txn', config: txnFactory.configSchema, step: txnFactory.stepSchema }));
  assert.deepEqual(back.view(), m.view());
  // A counterexample opens in the replay view.
  const ce = view().explorer[0]!.counterexamples.find((c) => c.invariant === 'atomicity')!;
  go({ type: 'replay', run: ce.run });
  go({ type: 'step', direction: 'forward', count: ce.length });
  const inv = view().invariants!.items.find((i) => i.name === 'atomicity')!;
  assert.equal(inv.status, 'violated');
  assert.equal(inv.since, ce.since);
});

test('a damaged session file is refused with what failed', () => {
  const { m } = model(false);
  const text = JSON.stringify({ ...m.exportSession(), steps: [{ kind: 'advance' }], labels: ['x'], cursor: 1 });
  const file = parseSessionFile(text, { kind: 'txn', config: txnFactory.configSchema, step: txnFactory.stepSchema });
  assert.throws(() => txnFactory.fromSession(file), /does not replay: step 0 \(advance\) failed: There is no run yet/);
});

test('the lanes part stays bounded on a long run', () => {
  const { view, go } = model(false);
  go({ type: 'run', run: { protocol: '2pc', participants: 12, faults: ['crash:coordinator@after-votes:for=60000'] } });
  const v = view();
  assert.ok(v.lanes!.length > 1000, `${v.lanes!.length} steps`);
  assert.ok(v.lanes!.arrows.length <= TXN_LIMITS.maxItemsInView && v.lanes!.marks.length <= TXN_LIMITS.maxItemsInView);
  assert.equal(v.lanes!.truncated, true);
  assert.ok(v.timeline.labels.length <= 401);
  assert.ok(JSON.stringify(v).length < 400_000);
});

test('a new run is appended after every recorded run, even when the cursor is in an earlier one', () => {
  const { m, view, go } = model(false);
  go({ type: 'run', run: { protocol: 'saga', participants: 3, faults: [] } });
  const first = view().timeline.length;
  m.seek(5);
  go({ type: 'run', run: { protocol: 'tcc', participants: 3, faults: [] } });
  const v = view();
  assert.equal(v.history.length, 2);
  assert.equal(v.history[0]!.steps, first - 1, 'the first run keeps all its steps');
  assert.equal(v.history[1]!.beginStep, first);
});

test('history says how each run ended, wherever the cursor is', () => {
  const { m, view, go } = model(false);
  go({ type: 'run', run: { protocol: '2pc', participants: 3, faults: ['fail:coupon'] } });
  m.seek(4);
  go({ type: 'step', direction: 'forward' });
  const h = view().history;
  assert.equal(h[0]!.status, 'settled');
  assert.equal(h[0]!.outcome, 'aborted');
});

test('a run to replay is read from a history entry, a counterexample or dsi txn run --json output, and checked', () => {
  const spec = { protocol: '2pc', participants: 3, faults: ['crash:coordinator@step:23'], variant: 'commit-before-log', seed: 1 };
  assert.deepEqual(parseRunFile(JSON.stringify(spec)), spec);
  assert.deepEqual(parseRunFile(JSON.stringify({ invariant: 'atomicity', run: spec, length: 62, since: 56 })), spec);
  assert.deepEqual(parseRunFile(JSON.stringify({ ...spec, status: 'settled', outcome: 'mixed', schedule: ['1. …'] })), spec);
  assert.throws(() => parseRunFile('{"protocol":"2pc"'), /not JSON/);
  assert.throws(() => parseRunFile('[1,2]'), /holds no run/);
  assert.throws(() => parseRunFile(JSON.stringify({ ...spec, participants: 40 })), /run\.participants: must be ≤ 12/);
});

test('a replay with "at" records the run to its end and opens it at that step, its history entry complete', () => {
  const { view, go } = model(false);
  const run = { protocol: '2pc' as const, participants: 3, faults: ['crash:coordinator@after-votes'] };
  go({ type: 'run', run });
  const whole = view();
  const blockedSince = whole.invariants!.blockedSince!;
  go({ type: 'replay', run, at: blockedSince });
  const v = view();
  assert.equal(v.lanes!.cursor, blockedSince);
  assert.equal(v.lanes!.length, whole.lanes!.length, 'recorded to its end');
  assert.equal(v.timeline.cursor, v.lanes!.stepOffset + blockedSince);
  assert.ok(v.lanes!.blocked.length > 0, 'the blocked spans have begun at that step');
  const entry = v.history[1]!;
  assert.equal(entry.status, 'settled');
  assert.equal(entry.blocked, true);
  assert.equal(entry.beginStep + 1, v.lanes!.stepOffset, 'the run starts right after its begin entry');
  // Past the end, "at" stops at the last step.
  go({ type: 'replay', run, at: TXN_LIMITS.maxRunSteps });
  assert.equal(view().lanes!.cursor, whole.lanes!.length);
});
