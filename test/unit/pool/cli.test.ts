import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runDsi as dsi } from '../cli/runDsi';

test('dsi pool --json prints the preset\'s counters as one object; the same seed gives the same numbers', async () => {
  const run = async (preset: string, ...more: string[]) => {
    const r = await dsi('pool', '--preset', preset, '--json', ...more);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 1);
    return JSON.parse(lines[0]!);
  };
  const stale = await run('stale');
  assert.equal(stale.driver, 'embedded');
  assert.equal(stale.target, 'embedded server');
  assert.equal(stale.failedQueries, 4);
  assert.deepEqual(stale.errorsByCode, { PROTOCOL_CONNECTION_LOST: 4 });
  for (const k of ['queries', 'connectionsCreated', 'connectionsDestroyed', 'acquireTimeouts', 'durationMs', 'throughputQps', 'latencyMs', 'acquireWaitMs', 'verdict'])
    assert.ok(k in stale, `missing ${k}`);
  const perQuery = await run('per-query', '--queries', '40', '--seed', '3');
  assert.equal(perQuery.queries, 40);
  assert.equal(perQuery.connectionsCreated, 40);
  assert.deepEqual(await run('per-query', '--queries', '40', '--seed', '3'), perQuery);
  const exhaustion = await run('exhaustion');
  assert.equal(exhaustion.acquireTimeouts, 2);
});

test('dsi pool: bad arguments are usage errors (exit 2) that say what is wrong', async () => {
  const bad = await dsi('pool', '--preset', 'stale', '--driver', 'mysql');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--driver mysql needs --url/);
  assert.equal((await dsi('pool', '--preset', 'stale', '--url', 'mysql://a@b/c')).status, 2, '--url without --driver mysql');
  assert.equal((await dsi('pool', '--preset', 'sideways')).status, 2);
  const notUrl = await dsi('pool', '--preset', 'stale', '--driver', 'mysql', '--url', 'postgres://a@b/c');
  assert.equal(notUrl.status, 2);
  assert.match(notUrl.stderr, /scheme is "postgres:", not "mysql:"/);
  const help = await dsi('pool', '--help');
  assert.equal(help.status, 0);
  assert.match(help.stdout, /JSON fields/);
});
