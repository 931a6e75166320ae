/**
 * The sequence diagram's arithmetic and the story's sentences against the real model: arrows leave
 * their sender's lane on the row of their send and end where their fate says, rows and the cursor
 * line agree for any run length, and the verdicts read the run right.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { noRunContext } from '../../extension/engines/core/model';
import { TxnModel, txnFactory } from '../../extension/engines/txn';
import type { ExploreSpec, RunSpec, TxnLanesPart, TxnView } from '../../extension/protocol/txn';
import { arrowShape, cursorY, layout, rowRange, rowY, ROW_WINDOW, stepAt } from '../../webview/txn/diagram';
import { explorationSentence, story } from '../../webview/txn/story';

function runView(run: RunSpec, at?: (v: TxnView) => number): TxnView {
  const m = txnFactory.create({ initial: run }) as TxnModel;
  if (at) m.seek(m.view().lanes!.stepOffset + at(m.view()));
  return m.view();
}

const storyOf = (v: TxnView) => story({ run: v.run!, lanes: v.lanes!, invariants: v.invariants!, balances: v.balances });

const RUNS: RunSpec[] = [
  { protocol: '2pc', participants: 5, faults: ['crash:coordinator@after-votes'] },
  { protocol: '2pc', participants: 3, faults: ['lose:commit->payment', 'dup:prepare->coupon'] },
  { protocol: 'tcc', participants: 4, faults: ['delay:try->payment:400'] },
  { protocol: 'saga', participants: 5, faults: ['fail:inventory', 'dup:undo->payment'] },
  { protocol: 'outbox', participants: 3, faults: ['crash:broker@after-stored'] },
];

test('every arrow leaves its sender on its send row and ends where its fate says', () => {
  for (const run of RUNS) {
    for (const cut of [0.3, 0.6, 1]) {
      const v = runView(run, (w) => Math.round(w.lanes!.length * cut));
      const lanes = v.lanes!;
      const l = layout(lanes, 1000, 18);
      for (const a of lanes.arrows) {
        const s = arrowShape(a, l, lanes.cursor);
        const from = l.x.get(a.from)!;
        const to = l.x.get(a.to)!;
        assert.equal(s.x1, from);
        assert.equal(s.y1, rowY(l, a.sendStep));
        const what = `${run.protocol} #${a.id} ${a.fate}`;
        if (a.fate === 'delivered') assert.deepEqual([s.x2, s.y2, s.end], [to, rowY(l, a.recvStep!), 'head'], what);
        else if (a.fate === 'dropped') assert.deepEqual([s.x2, s.y2, s.end], [to, rowY(l, a.recvStep!), 'cross'], what);
        else if (a.fate === 'lost') {
          assert.equal(s.end, 'cross', what);
          assert.ok(Math.min(from, to) < s.x2 && s.x2 < Math.max(from, to), `${what}: the cross sits between the lanes`);
          assert.ok(s.y1 < s.y2 && s.y2 < rowY(l, a.recvStep!), `${what}: on its way down`);
        } else {
          assert.deepEqual([s.y2, s.end], [cursorY(l, lanes.cursor), 'open'], what);
          assert.ok(a.sendStep <= lanes.cursor, `${what}: sent in the past`);
        }
      }
    }
  }
});

test('rows: a short run draws every step, a long one a window that holds the cursor; rows and steps map both ways', () => {
  fc.assert(fc.property(fc.integer({ min: 0, max: 4000 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 3, max: 24 }), (length, f, rowH) => {
    const cursor = Math.round(length * f);
    const { first, last } = rowRange({ cursor, length });
    if (length <= 2 * ROW_WINDOW) assert.deepEqual([first, last], [1, length]);
    else {
      assert.ok(first <= Math.max(1, cursor) && cursor <= last, `cursor ${cursor} in ${first}…${last}`);
      assert.equal(last - first, 2 * ROW_WINDOW);
    }
    const l = layout({ cursor, length, nodes: [] }, 800, rowH);
    for (let s = first; s <= last; s += 37) assert.equal(stepAt(l, rowY(l, s)), s);
    // The cursor line sits under the row of the step shown: below its mark, above the next one.
    if (cursor >= first) assert.ok(rowY(l, cursor) < cursorY(l, cursor) && cursorY(l, cursor) < rowY(l, cursor + 1));
  }));
});

test('lanes share the width; the step log gets what is left when there is room', () => {
  const lanes: Pick<TxnLanesPart, 'cursor' | 'length' | 'nodes'> = { cursor: 0, length: 10, nodes: ['coordinator', 'order', 'payment'].map((id) => ({ id, label: id, role: 'participant', up: true, state: '', inDoubt: false })) };
  const wide = layout(lanes, 1200, 18);
  assert.ok(wide.logX > wide.x.get('payment')! + wide.laneW / 2, 'the log starts after the last lane');
  const panel = layout(lanes, 560, 18);
  assert.ok(panel.logX > 0 && panel.laneW >= 60, 'a panel beside the side bar still has the log, lanes of 60 px or more');
  assert.ok(panel.width - panel.logX >= 220);
  const narrow = layout(lanes, 400, 18);
  assert.equal(narrow.logX, 0, 'too narrow for both: the lanes win');
  assert.ok(Math.abs(narrow.x.get('order')! - narrow.x.get('coordinator')! - narrow.laneW) < 1e-9);
  assert.ok(narrow.laneW * 3 <= 400 - 34, 'the lanes fit');
});

test('story: 2PC with the coordinator crashing after the votes is atomic, and blocked from the step the model names', () => {
  const end = runView(RUNS[0]!);
  const since = end.invariants!.blockedSince!;
  const settled = storyOf(end);
  assert.deepEqual(settled.map((x) => [x.id, x.tone]), [['outcome', 'good'], ['blocked', 'warn'], ['invariants', 'good']]);
  assert.match(settled[0]!.title, /All 5 aborted/);
  assert.equal(settled[1]!.step, since);
  assert.match(settled[1]!.text, new RegExp(`From step ${since} to \\d+, all 5 participants held their locks in doubt while coordinator was down`));

  const mid = storyOf(runView(RUNS[0]!, () => since + 3));
  assert.match(mid.find((x) => x.id === 'blocked')!.text, /hold their locks in doubt: they voted yes/);
  assert.equal(mid.find((x) => x.id === 'invariants')!.title, 'Invariants pending');
});

test('story: a broken invariant comes first and points at the step it broke', () => {
  const m = txnFactory.create({}) as TxnModel;
  m.dispatch({ type: 'explore', spec: { protocol: '2pc', participants: 3, crashes: 1, variant: 'commit-before-log' } }, noRunContext);
  const ce = m.view().explorer[0]!.counterexamples.find((c) => c.invariant === 'atomicity')!;
  m.dispatch({ type: 'replay', run: ce.run, at: ce.length }, noRunContext);
  const s = storyOf(m.view());
  assert.equal(s[0]!.id, 'invariants');
  assert.equal(s[0]!.tone, 'bad');
  assert.equal(s[0]!.step, Math.min(...m.view().invariants!.items.filter((i) => i.status === 'violated').map((i) => i.since!)));
  assert.match(s[1]!.title, /Mixed outcome/);
});

test('exploration sentences: a planted bug caught, a correct protocol that only blocks, a clean sweep', () => {
  const sentence = (spec: ExploreSpec) => {
    const m = txnFactory.create({}) as TxnModel;
    m.dispatch({ type: 'explore', spec }, noRunContext);
    return explorationSentence(m.view().explorer[0]!);
  };
  const bug = sentence({ protocol: 'saga', participants: 3, crashes: 0, messages: 1, variant: 'non-idempotent-compensation', faults: ['fail:coupon'] });
  assert.equal(bug.tone, 'bad');
  assert.match(bug.text, /planted bug non-idempotent-compensation.*broken: money in \d+.*The planted bug is caught/);
  const blocks = sentence({ protocol: '2pc', participants: 3, crashes: 1 });
  assert.equal(blocks.tone, 'warn');
  assert.match(blocks.text, /^2PC, 3 services, 1 crash and 0 message faults: 44 runs; atomicity, money, coupon, consistency and locks held in every one; 10 blocked\.$/);
  const clean = sentence({ protocol: 'outbox', participants: 3, crashes: 1 });
  assert.equal(clean.tone, 'good');
});
