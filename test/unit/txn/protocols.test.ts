import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startRun } from '../../../extension/engines/txn';
import { DEDUP_TTL_MS, consumerDedup } from '../../../extension/engines/txn/consumerDedup';
import { runOrder } from './run';

const ALL_HOLD = { atomicity: 'holds', money: 'holds', coupon: 'holds', consistency: 'holds', locks: 'holds' };

test('2pc without faults: every participant prepares, locks, votes yes, then commits and releases', () => {
  const r = runOrder('2pc', 5);
  assert.deepEqual(r.status, ALL_HOLD);
  assert.equal(r.sim.outcome(), 'committed');
  assert.equal(r.sim.state.monitor.blockedSince, undefined);
  assert.equal(r.sim.nodes['payment']!.values['wallet'], 70);
  assert.equal(r.sim.nodes['order']!.values['collected'], 30);
  // The decision is durable before the first commit leaves the coordinator.
  const logAt = r.labels.findIndex((l) => l === 'coordinator: log decision commit');
  const firstCommit = r.labels.findIndex((l) => /^coordinator → \w+: commit/.test(l));
  assert.ok(logAt >= 0 && logAt < firstCommit);
  assert.equal(r.steps.filter((s) => s.kind === 'lock').length, 5);
  assert.equal(r.steps.filter((s) => s.kind === 'unlock').length, 5);
});

test('2pc: a business failure (insufficient balance) is a no vote and everyone aborts', () => {
  const r = runOrder('2pc', 3, ['fail:payment']);
  assert.deepEqual(r.status, ALL_HOLD);
  assert.equal(r.sim.outcome(), 'aborted');
  assert.ok(r.labels.some((l) => /payment ← coordinator: prepare .* votes no: insufficient balance/.test(l)));
  assert.equal(r.sim.nodes['payment']!.values['wallet'], 20, 'the failing wallet is left as it was');
});

test('2pc: the coordinator crashing between the votes and the decision blocks every participant, locks held, until it recovers and aborts', () => {
  const sim = startRun({ protocol: '2pc', participants: 3, faults: ['crash:coordinator@after-votes:for=2000'] });
  let sawBlocked = false;
  sim.settle(() => {
    if (Object.keys(sim.state.monitor.blockedNow).length === 3) {
      sawBlocked = true;
      assert.equal(sim.nodes['coordinator']!.up, false);
      for (const p of ['order', 'payment', 'coupon']) assert.deepEqual(Object.values(sim.nodes[p]!.locks), ['lock'], `${p} holds its lock`);
    }
  });
  assert.ok(sawBlocked, 'all three participants were blocked at once');
  assert.ok(sim.state.monitor.blockedSince !== undefined);
  assert.equal(sim.outcome(), 'aborted', 'no decision in the log: presumed abort');
  assert.equal(Object.keys(sim.state.monitor.blockedNow).length, 0);
  for (const node of Object.values(sim.nodes)) assert.deepEqual(node.locks, {});
});

test('2pc: a coordinator crash after the decision is logged ends in commit; a participant crash while prepared re-takes its lock', () => {
  const afterDecision = runOrder('2pc', 3, ['crash:coordinator@after-decision']);
  assert.equal(afterDecision.sim.outcome(), 'committed');
  assert.deepEqual(afterDecision.status, ALL_HOLD);
  assert.ok(afterDecision.labels.some((l) => /the log holds the decision \(commit\): sending it again/.test(l)));

  const prepared = runOrder('2pc', 3, ['crash:payment@after-prepared']);
  assert.deepEqual(prepared.status, ALL_HOLD);
  const relock = prepared.steps.findIndex((s) => s.kind === 'recover' && s.node === 'payment');
  assert.ok(relock > 0);
  assert.ok(prepared.steps.slice(relock).some((s) => s.kind === 'lock' && s.node === 'payment'), 'the recovered participant takes its lock again');
});

test('tcc: tries reserve (money frozen, counted), confirms spend; the reservation is released', () => {
  const sim = startRun({ protocol: 'tcc', participants: 3, faults: [] });
  let sawReserved = false;
  sim.settle(() => {
    if (sim.nodes['payment']!.frozen['wallet'] === 30 && sim.nodes['payment']!.locks['wallet:alice'] === 'reservation') {
      sawReserved = true;
      assert.equal(sim.nodes['payment']!.values['wallet'], 70);
      assert.equal(sim.state.monitor.tracks['money']!.brokeAt, undefined);
    }
  });
  assert.ok(sawReserved);
  assert.equal(sim.outcome(), 'committed');
  assert.deepEqual(sim.nodes['payment']!.frozen, {});
  assert.equal(sim.nodes['payment']!.values['wallet'], 70);
});

test('tcc: a try overtaken by its cancel is an empty cancel, and the late try is refused (suspension prevention)', () => {
  const r = runOrder('tcc', 3, ['delay:try->coupon:400']);
  const cancelAt = r.labels.findIndex((l) => /^coupon ← coordinator: cancel .*empty cancel/.test(l));
  const lateTry = r.labels.findIndex((l) => /^coupon ← coordinator: try .*suspension prevented/.test(l));
  assert.ok(cancelAt >= 0, 'empty cancel');
  assert.ok(lateTry > cancelAt, 'the late try arrives after and is refused');
  assert.equal(r.sim.outcome(), 'aborted');
  assert.equal(r.sim.nodes['coupon']!.values['uses'], 0);
  assert.deepEqual(r.status, ALL_HOLD);
});

test('tcc: a duplicated confirm and a duplicated cancel change nothing (idempotent)', () => {
  const confirm = runOrder('tcc', 3, ['dup:confirm->payment']);
  assert.ok(confirm.labels.some((l) => /repeated confirm: already confirmed/.test(l)));
  assert.equal(confirm.sim.nodes['payment']!.values['wallet'], 70);
  assert.deepEqual(confirm.status, ALL_HOLD);
  const cancel = runOrder('tcc', 3, ['fail:coupon', 'dup:cancel->payment']);
  assert.ok(cancel.labels.some((l) => /repeated cancel: already cancelled/.test(l)));
  assert.equal(cancel.sim.nodes['payment']!.values['wallet'], 100);
  assert.deepEqual(cancel.status, ALL_HOLD);
});

test('saga: a failing step is compensated in reverse order', () => {
  const r = runOrder('saga', 5, ['fail:inventory']);
  const undos = r.steps.flatMap((s) => (s.kind === 'send' && s.msg.type === 'undo' ? [s.msg.to] : []));
  assert.deepEqual(undos, ['points', 'coupon', 'payment', 'order']);
  assert.equal(r.sim.outcome(), 'aborted');
  assert.deepEqual(r.status, ALL_HOLD);
});

test('saga: a participant down longer than the retries is compensated too, and agrees once it recovers', () => {
  const r = runOrder('saga', 3, ['crash:coupon@start:for=3000']);
  assert.equal(r.steps.filter((s) => s.kind === 'send' && s.msg.type === 'do' && s.msg.to === 'coupon').length, 4, 'one try and three retries');
  assert.ok(r.labels.some((l) => /did not answer after 4 tries/.test(l)));
  assert.equal(r.sim.outcome(), 'aborted');
  assert.deepEqual(r.status, ALL_HOLD);
});

test('saga: the orchestrator resumes from its log after a crash and finishes', () => {
  const r = runOrder('saga', 4, ['crash:orchestrator@recv:done#2']);
  assert.ok(r.labels.some((l) => /the log says 1 step\(s\) finished: resumes with step 1/.test(l)));
  assert.equal(r.sim.outcome(), 'committed');
  assert.deepEqual(r.status, ALL_HOLD);
});

test('outbox: the order and its event commit together; a relay crash is survived and duplicates are skipped', () => {
  const crash = runOrder('outbox', 4, ['crash:order@after-local-commit']);
  assert.ok(crash.labels.some((l) => /an unpublished outbox row: the relay publishes it/.test(l)));
  assert.equal(crash.sim.outcome(), 'committed');
  assert.deepEqual(crash.status, ALL_HOLD);

  const dup = runOrder('outbox', 4, ['dup:publish']);
  assert.equal(dup.steps.filter((s) => s.kind === 'log' && s.node === 'broker').length, 2, 'the broker stores the duplicate publish');
  assert.ok(dup.labels.filter((l) => /its dedup key is set \(already applied\), skipped/.test(l)).length >= 3);
  assert.equal(dup.sim.nodes['points']!.values['points'], 30);
  assert.deepEqual(dup.status, ALL_HOLD);
});

test('outbox consumers keep dedup keys in the idempotency store, with Redis expiry on the simulated clock', () => {
  const r = runOrder('outbox', 3, []);
  const payment = r.sim.nodes['payment']!;
  const at = r.steps.find((s) => s.kind === 'commit' && s.node === 'payment')!.time;
  assert.deepEqual([...payment.keyspace!.entries()], [['dedup:evt-order-placed-1001', { v: 'applied', exp: at + DEDUP_TTL_MS }]]);
  assert.equal(consumerDedup(payment, at + DEDUP_TTL_MS).seen('evt-order-placed-1001'), true);
  assert.equal(consumerDedup(payment, at + DEDUP_TTL_MS + 1).seen('evt-order-placed-1001'), false, 'expired: a redelivery this late would apply again');
});

test('faults that cannot apply are refused with a reason', () => {
  assert.throws(() => startRun({ protocol: 'outbox', participants: 3, faults: ['no:payment'] }), /cannot refuse/);
  assert.throws(() => startRun({ protocol: '2pc', participants: 3, faults: ['crash:orchestrator@start'] }), /there is no node "orchestrator".*Nodes: coordinator, order, payment, coupon/s);
  assert.throws(() => startRun({ protocol: 'saga', participants: 3, faults: ['lose:prepare'] }), /this protocol sends no "prepare" messages/);
  assert.throws(() => startRun({ protocol: 'saga', participants: 3, faults: [], variant: 'commit-before-log' }), /planted bug in 2pc, not in saga/);
});
