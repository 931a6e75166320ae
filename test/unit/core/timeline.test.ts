import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Timeline, type Replayable } from '../../../extension/engines/core/timeline';

/** A counter whose steps add numbers; the state after n steps is the sum of the first n. */
class Counter implements Replayable<number, { total: number; history: number[] }> {
  total = 0;
  history: number[] = [];
  redos = 0;
  apply(x: number): void {
    this.total += x;
    this.history.push(x);
  }
  snapshot() {
    return { total: this.total, history: [...this.history] };
  }
  restore(s: { total: number; history: number[] }) {
    this.total = s.total;
    this.history = [...s.history];
  }
  redo(x: number) {
    this.redos++;
    this.apply(x);
  }
}

test('seek reaches the state after any step, backwards and forwards', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: -50, max: 50 }), { maxLength: 300 }), fc.array(fc.nat(), { maxLength: 30 }), fc.integer({ min: 1, max: 20 }), (steps, seeks, every) => {
      const c = new Counter();
      const t = new Timeline(c, { snapshotEvery: every, maxSnapshots: 6 });
      for (const x of steps) { c.apply(x); t.record(x, `add ${x}`); }
      for (const raw of seeks) {
        const n = raw % (steps.length + 1);
        t.seek(n);
        assert.equal(t.cursor, n);
        assert.deepEqual(c.history, steps.slice(0, n));
        assert.equal(c.total, steps.slice(0, n).reduce((a, b) => a + b, 0));
      }
    }),
  );
});

test('recording after seeking back starts a new branch', () => {
  const c = new Counter();
  const t = new Timeline(c, { snapshotEvery: 2 });
  for (const x of [1, 2, 3, 4, 5]) { c.apply(x); t.record(x, `+${x}`); }
  t.seek(2);
  c.apply(10);
  t.record(10, '+10');
  assert.equal(t.length, 3);
  assert.deepEqual(t.labels(), ['+1', '+2', '+10']);
  t.seek(0);
  t.seek(3);
  assert.deepEqual(c.history, [1, 2, 10]);
  assert.ok(t.snapshotSteps().every((s) => s <= 3));
});

test('costly steps get their own snapshot, so seeking near them redoes little', () => {
  const c = new Counter();
  const t = new Timeline(c, { snapshotEvery: 1000, snapshotCost: 100 });
  c.apply(1); t.record(1, 'cheap', 1);
  c.apply(2); t.record(2, 'bulk', 500);
  for (let i = 0; i < 10; i++) { c.apply(0); t.record(0, 'cheap', 1); }
  assert.ok(t.snapshotSteps().includes(2));
  t.seek(0);
  c.redos = 0;
  t.seek(5);
  assert.equal(c.redos, 3, 'restored the snapshot after the bulk step, then redid 3 cheap steps');
});

test('snapshots are thinned but step 0 and the newest are kept', () => {
  const c = new Counter();
  const t = new Timeline(c, { snapshotEvery: 1, maxSnapshots: 8 });
  for (let i = 0; i < 100; i++) { c.apply(i); t.record(i, String(i)); }
  const snaps = t.snapshotSteps();
  assert.ok(snaps.length <= 8, `kept ${snaps.length}`);
  assert.equal(snaps[0], 0);
  assert.equal(snaps[snaps.length - 1], 100);
});

test('seeking outside the recorded steps is refused clearly', () => {
  const t = new Timeline(new Counter());
  assert.throws(() => t.seek(1), /cannot seek to 1; steps run from 0 to 0/);
  assert.throws(() => t.seek(-1), RangeError);
  assert.throws(() => t.seek(0.5), RangeError);
});
