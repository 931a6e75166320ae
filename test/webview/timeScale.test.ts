import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { FOLD_PX, ticks, timeScale } from '../../webview/lib/timeScale';

const marksArb = fc.array(fc.tuple(fc.double({ min: 0, max: 10_000, noNaN: true }), fc.double({ min: 0, max: 50, noNaN: true })).map(([a, d]) => [a, a + d] as const), { minLength: 1, maxLength: 60 });

test('time scale: pieces tile the range and the width, x never goes backwards, busy stretches keep a readable share', () => {
  fc.assert(fc.property(marksArb, fc.double({ min: 1, max: 10_000, noNaN: true }), fc.integer({ min: 300, max: 2000 }), fc.boolean(), (marks, span, width, fold) => {
    const s = timeScale(marks, [0, span], width, fold);
    const first = s.pieces[0]!;
    const last = s.pieces[s.pieces.length - 1]!;
    assert.equal(first.t0, 0);
    assert.ok(Math.abs(last.t1 - Math.max(span, 1e-3)) < 1e-6);
    assert.equal(first.x0, 0);
    assert.ok(Math.abs(last.x1 - width) < 1e-6, `ends at ${last.x1}, not ${width}`);
    for (let i = 1; i < s.pieces.length; i++) {
      assert.equal(s.pieces[i]!.t0, s.pieces[i - 1]!.t1);
      assert.ok(Math.abs(s.pieces[i]!.x0 - s.pieces[i - 1]!.x1) < 1e-6);
      // Folds alternate with busy stretches.
      assert.notEqual(s.pieces[i]!.folded, s.pieces[i - 1]!.folded);
    }
    const busy = s.pieces.filter((p) => !p.folded);
    const folds = s.pieces.filter((p) => p.folded);
    for (const f of folds) assert.ok(Math.abs(f.x1 - f.x0 - FOLD_PX) < 1e-6);
    const share = (width - folds.length * FOLD_PX) / busy.length / 2;
    for (const b of busy) assert.ok(b.x1 - b.x0 >= share - 1e-6, `a busy stretch got ${b.x1 - b.x0} px, less than ${share}`);
    let prev = -Infinity;
    for (let i = 0; i <= 200; i++) {
      const x = s.x((span * i) / 200);
      assert.ok(x >= prev - 1e-9, 'x went backwards');
      prev = x;
    }
    if (!fold) assert.equal(s.pieces.length, 1);
  }), { numRuns: 300 });
});

test('time scale: the race\'s shape folds the idle wait and widens the millisecond that matters', () => {
  // A burst at 0–40 ms, then the server's 3 s idle timer, a request 2 ms after it, the close.
  const marks = [[5, 40], [3000, 3000], [3002, 3004], [3006, 3006]] as const;
  const s = timeScale(marks, [0, 3010], 1000, true);
  assert.equal(s.pieces.filter((p) => p.folded).length, 1);
  const folded = s.pieces.find((p) => p.folded)!;
  assert.ok(folded.t0 < 100 && folded.t1 > 2900, `fold ${folded.t0}–${folded.t1}`);
  // 2 ms between the deadline and the send are tens of pixels, not one.
  assert.ok(s.x(3002) - s.x(3000) > 20, `${s.x(3002) - s.x(3000)} px`);
  const linear = timeScale(marks, [0, 3010], 1000, false);
  assert.ok(linear.x(3002) - linear.x(3000) < 1);
});

test('time scale: a zoom window maps linearly and places what is outside it beyond the edges', () => {
  const s = timeScale([[0, 5000]], [3000, 3050], 500, false);
  assert.equal(s.x(3000), 0);
  assert.equal(s.x(3050), 500);
  assert.equal(s.x(3025), 250);
  assert.ok(s.x(10) < 0);
  assert.ok(s.x(6000) > 500);
});

test('ticks: 1-2-5 steps inside the piece, at least the asked spacing apart', () => {
  const s = timeScale([[0, 1]], [0, 1234], 800, false);
  const t = ticks(s.pieces[0]!, 70);
  assert.ok(t.length >= 5);
  const step = t[1]! - t[0]!;
  assert.ok([1, 2, 5].some((m) => Math.abs(step / 10 ** Math.floor(Math.log10(step)) - m) < 1e-9), `step ${step}`);
  assert.ok(step * (800 / 1234) >= 70);
  for (const x of t) assert.ok(x >= 0 && x <= 1234);
});
