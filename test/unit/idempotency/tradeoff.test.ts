import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultSettings } from '../../../extension/protocol/idempotency';
import { KeySkew } from '../../../extension/engines/idempotency/keySkew';
import { Prng } from '../../../extension/engines/core/prng';
import { tradeoff } from '../../../extension/engines/idempotency/tradeoff';

test('trade-off: round robin scales with workers but breaks order; key hash keeps order and is capped by the hottest key', () => {
  const settings = { ...defaultSettings(), workers: 6, skew: 1.5 };
  const t = tradeoff(settings);
  assert.deepEqual(t.workerCounts, [1, 2, 4, 6, 8, 16], 'the current worker count is on the grid');
  assert.deepEqual(t.skews, [0, 1, 1.5, 2], 'the current skew is on the grid');
  const series = (dispatch: string, skew: number) => t.series.find((s) => s.dispatch === dispatch && s.skew === skew)!.points;
  for (const skew of t.skews) {
    const single = series('single', skew);
    const rr = series('roundrobin', skew);
    const kh = series('keyhash', skew);
    assert.ok(single.every((p) => p.violations === 0 && p.throughput === single[0]!.throughput), 'one thread whatever the worker count');
    assert.ok(kh.every((p) => p.violations === 0), 'key hash never breaks order');
    assert.ok(rr.at(-1)!.throughput > 10 * single[0]!.throughput, 'round robin uses all 16 workers');
    assert.ok(rr.slice(1).every((p) => p.violations > 0), 'round robin breaks order with 2+ workers');
    // All of the hottest key's messages run on one worker, one at a time.
    const hottest = new KeySkew(settings.keys, skew).share(0);
    for (const p of kh) assert.ok(p.busiestWorkerShare >= hottest * 0.8 && p.throughput <= (single[0]!.throughput / hottest) * 1.25, JSON.stringify({ skew, p, hottest }));
  }
  assert.ok(series('keyhash', 2).at(-1)!.throughput < series('keyhash', 0).at(-1)!.throughput / 2, 'skew caps key hash');
});

test('key skew: Zipf shares sum to 1, skew 0 is uniform, and samples follow the shares', () => {
  const uniform = new KeySkew(8, 0);
  for (let r = 0; r < 8; r++) assert.ok(Math.abs(uniform.share(r) - 1 / 8) < 1e-12);
  const z = new KeySkew(8, 1);
  assert.ok(Math.abs(z.share(0) - 1 / (1 + 1 / 2 + 1 / 3 + 1 / 4 + 1 / 5 + 1 / 6 + 1 / 7 + 1 / 8)) < 1e-12);
  const counts = new Array<number>(8).fill(0);
  const rng = new Prng(5);
  for (let i = 0; i < 100_000; i++) counts[z.sample(rng)]!++;
  for (let r = 0; r < 8; r++) assert.ok(Math.abs(counts[r]! / 100_000 - z.share(r)) < 0.01, `rank ${r}`);
  assert.throws(() => new KeySkew(0, 1), /at least one key/);
});
