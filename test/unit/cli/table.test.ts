import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runDsi as dsi, spawnDsi } from './runDsi';

test('dsi table prints the run\'s metrics; incremental rehash shortens the longest pause', async () => {
  const run = async (rehash: string) => {
    const r = await dsi('table', '--strategy', 'linear', '--fn', 'murmur3_32', '--keys', '20000', '--rehash', rehash, '--seed', '7');
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 1);
    return JSON.parse(lines[0]!);
  };
  const once = await run('all-at-once');
  const incr = await run('incremental');
  for (const m of [once, incr]) {
    assert.equal(m.keys, 20000);
    assert.equal(m.strategy, 'linear');
    assert.ok(m.loadFactor > 0 && m.loadFactor <= 0.75);
    assert.ok(m.hit.avg >= 1 && m.hit.max >= m.hit.avg && m.miss.avg > 0);
    assert.equal(m.histogram.kind, 'probe');
    assert.ok(m.resizes.count >= 10);
  }
  assert.equal(once.size, 32768);
  assert.ok(once.resizes.maxPause > 20000 && incr.resizes.maxPause < 200, `${once.resizes.maxPause} vs ${incr.resizes.maxPause}`);
});

test('dsi table with adversarial Java keys shows the flood', async () => {
  const r = await dsi('table', '--strategy', 'chaining', '--fn', 'java', '--keys', '2000', '--generator', 'adversarial', '--max-load', '1');
  assert.equal(r.status, 0, r.stderr);
  const m = JSON.parse(r.stdout);
  assert.equal(m.longestCluster, 2000, 'every key in one chain');
  assert.equal(m.hit.max, 2000);
});

test('dsi table: bad arguments print the usage and exit 2', async () => {
  for (const args of [
    ['table', '--strategy', 'linear', '--fn', 'java'],
    ['table', '--strategy', 'cuckoo', '--fn', 'java', '--keys', '10'],
    ['table', '--strategy', 'linear', '--fn', 'java', '--keys', '0'],
    ['table', '--strategy', 'linear', '--fn', 'java', '--keys', 'ten'],
    ['table', '--strategy', 'linear', '--fn', 'java', '--keys', '10', '--rehash', 'lazy'],
    ['table', '--strategy', 'linear', '--fn', 'java', '--keys', '10', '--max-load', '0.99'],
    ['table', '--strategy', 'linear', '--fn', 'java', '--keys', '10', 'extra'],
    ['table', '--strategy', 'linear', '--fn', 'java', '--keys', '100000', '--generator', 'adversarial'],
  ]) {
    const r = await dsi(...args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /Usage: dsi table --strategy/);
    assert.equal(r.stdout, '');
  }
});

test('the real dsi entry point: metrics on stdout with exit 0, usage on stderr with exit 2', () => {
  const ok = spawnDsi('table', '--strategy', 'robinhood', '--fn', 'xxhash32', '--keys', '1000', '--rehash', 'incremental');
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal(JSON.parse(ok.stdout).keys, 1000);
  const bad = spawnDsi('table', '--strategy', 'robinhood', '--fn', 'xxhash32');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /missing --keys/);
  assert.match(bad.stderr, /Usage: dsi table/);
});
