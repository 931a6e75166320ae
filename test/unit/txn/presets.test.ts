/** Every fault preset the Transactions inspector offers runs, and shows what its sentence promises. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PROTOCOL_SHAPES } from '../../../extension/engines/txn';
import { PROTOCOL_NAMES, UNDO_MILESTONES } from '../../../extension/protocol/txn';
import { FAULT_PRESETS } from '../../../extension/protocol/txnPresets';
import type { Finished } from './run';
import { runOrder } from './run';

/** What each preset must show, read off the finished run. */
const EXPECT: Record<string, (r: Finished) => void> = {
  'coordinator-after-votes': (r) => {
    assert.notEqual(r.sim.state.monitor.blockedSince, undefined, 'participants block');
    assert.equal(r.sim.outcome(), 'aborted');
    assert.ok(r.labels.some((l) => /presumed abort/.test(l)));
  },
  'insufficient-balance': (r) => {
    assert.equal(r.sim.outcome(), 'aborted');
    assert.ok(r.labels.some((l) => /vote no \(insufficient balance/.test(l)));
  },
  'commit-lost': (r) => {
    assert.equal(r.sim.outcome(), 'committed');
    assert.ok(r.labels.some((l) => /coordinator: timer acks/.test(l)), 'the coordinator misses an ack');
    assert.equal(r.labels.filter((l) => /coordinator → payment: commit/.test(l)).length, 2, 'and sends commit again');
  },
  'participant-after-prepared': (r) => {
    assert.equal(r.sim.outcome(), 'aborted');
    assert.ok(r.steps.some((s) => s.kind === 'recover' && s.node === 'payment'));
  },
  'coupon-used': (r) => {
    assert.equal(r.sim.outcome(), 'aborted');
    assert.ok(r.labels.some((l) => /coupon already used/.test(l)));
    assert.ok(r.labels.some((l) => /cancels: gives back/.test(l)));
  },
  'late-try': (r) => {
    assert.ok(r.labels.some((l) => /empty cancel/.test(l)));
    assert.ok(r.labels.some((l) => /suspension prevented/.test(l)));
  },
  'coordinator-after-tries': (r) => {
    assert.equal(r.sim.outcome(), 'aborted');
    assert.ok(r.steps.some((s) => s.kind === 'recover' && s.node === 'coordinator'));
  },
  'out-of-stock': (r) => {
    assert.equal(r.sim.outcome(), 'aborted');
    const undone = r.steps.filter((s) => s.kind === 'commit' && /^compensates/.test(s.what)).map((s) => s.node);
    assert.deepEqual(undone, ['points', 'coupon', 'payment', 'order'], 'compensations in reverse order');
  },
  'compensation-twice': (r) => {
    assert.equal(r.sim.state.stats.duplicated, 1);
    assert.equal(r.steps.filter((s) => s.kind === 'commit' && s.node === 'payment' && /^compensates/.test(s.what)).length, 1, 'refunded once');
  },
  'orchestrator-mid-saga': (r) => {
    assert.equal(r.sim.outcome(), 'committed');
    assert.ok(r.steps.some((s) => s.kind === 'recover' && s.node === 'orchestrator'));
  },
  'broker-after-stored': (r) => {
    assert.equal(r.sim.outcome(), 'committed');
    assert.ok(r.labels.filter((l) => /broker: log stored/.test(l)).length >= 2, 'stored twice');
    assert.ok(r.labels.some((l) => /dedup key is set/.test(l)), 'a consumer skips the copy');
  },
  'event-twice': (r) => {
    assert.equal(r.sim.outcome(), 'committed');
    assert.ok(r.labels.some((l) => /payment ← broker: .*dedup key is set/.test(l)));
  },
  'source-after-commit': (r) => {
    assert.equal(r.sim.outcome(), 'committed');
    assert.ok(r.steps.some((s) => s.kind === 'recover' && s.node === 'order'));
  },
};

for (const protocol of PROTOCOL_NAMES) {
  for (const p of FAULT_PRESETS[protocol]) {
    test(`${protocol} preset "${p.title}" shows what it says, from ${p.minParticipants} participants on`, () => {
      const check = EXPECT[p.id];
      assert.ok(check, `no expectation for preset ${p.id}`);
      const r = runOrder(protocol, p.minParticipants, [...p.faults]);
      assert.deepEqual(r.violated, [], 'a correct protocol keeps every invariant');
      check(r);
      if (p.minParticipants > 2) assert.throws(() => runOrder(protocol, p.minParticipants - 1, [...p.faults]), /no node/);
    });
  }
}

test('preset ids are unique', () => {
  const ids = PROTOCOL_NAMES.flatMap((p) => FAULT_PRESETS[p].map((x) => x.id));
  assert.equal(new Set(ids).size, ids.length);
});

test('the undoing milestones the diagram draws are milestones of the protocols, and mark their undo steps', () => {
  const all = new Set(PROTOCOL_NAMES.flatMap((p) => PROTOCOL_SHAPES[p].milestones));
  for (const m of UNDO_MILESTONES) assert.ok(all.has(m), `no protocol has the milestone ${m}`);
  const undone = runOrder('saga', 5, ['fail:inventory']).steps.filter((s) => s.kind === 'commit' && s.milestone && UNDO_MILESTONES.includes(s.milestone));
  assert.equal(undone.length, 4, 'four compensations');
});
