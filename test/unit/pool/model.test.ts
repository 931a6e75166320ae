import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UserError, noRunContext } from '../../../extension/engines/core/model';
import { parseSessionFile } from '../../../extension/engines/core/sessionFile';
import { PoolModel, poolModelFactory } from '../../../extension/engines/pool/model';
import { poolPictureSchema, type PoolIntent, type PoolView } from '../../../extension/protocol/pool';

const model = (): PoolModel => poolModelFactory.create(poolModelFactory.defaults()) as PoolModel;
const act = (m: PoolModel, i: PoolIntent): Promise<void> => Promise.resolve(m.dispatch(i, noRunContext));
/** The parts a step determines (the scrubber's cursor aside). */
const stateOf = (v: PoolView): string => JSON.stringify({ ...v, timeline: undefined });

function checkPicture(v: PoolView): void {
  const { summary: _s, timeline: _t, presets: _p, recorded: _r, ...picture } = v;
  const parsed = poolPictureSchema.parse(picture);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
}

test('a fresh model shows the minIdle connections open on the embedded server, and the preset catalogue', () => {
  const v = model().view();
  assert.equal(v.config.driver, 'embedded');
  assert.equal(v.config.clock, 'virtual');
  assert.equal(v.connections.cells.length, 2);
  assert.ok(v.connections.cells.every((c) => c.state === 'idle' && c.onServer === true));
  assert.equal(v.server.processes.length, 2);
  assert.ok(v.server.processes.every((p) => p.conn !== null));
  assert.deepEqual(v.presets.map((p) => p.name), ['per-query', 'pooled', 'stale', 'stale-keepalive', 'stale-validate', 'exhaustion', 'leak']);
  assert.equal(v.timeline.length, 0);
  checkPicture(v);
});

test('the stale preset reports failed queries; with keep-alive or validation none fail', async () => {
  const m = model();
  await act(m, { type: 'runPreset', preset: 'stale' });
  const stale = m.view().results.last!;
  assert.equal(stale.failedQueries, 4);
  assert.deepEqual(stale.errorsByCode, { PROTOCOL_CONNECTION_LOST: 4 });
  assert.match(m.view().timeline.labels[0]!, /^Stale connections: 4 of 16 queries failed/);
  await act(m, { type: 'runPreset', preset: 'stale-keepalive' });
  await act(m, { type: 'runPreset', preset: 'stale-validate' });
  const v = m.view();
  assert.equal(v.results.byPreset['stale-keepalive']!.failedQueries, 0);
  assert.equal(v.results.byPreset['stale-validate']!.failedQueries, 0);
  assert.equal(v.results.byPreset['stale-validate']!.validationFailures, 4);
  assert.equal(v.results.byPreset.stale!.failedQueries, 4, 'earlier results stay for comparison');
});

test('a preset starts the event window and leak reports afresh: its pool numbers connections from 1 again', async () => {
  const m = model();
  await act(m, { type: 'runPreset', preset: 'leak' });
  assert.equal(m.view().leaks.length, 1);
  await act(m, { type: 'runPreset', preset: 'stale' });
  const v = m.view();
  assert.equal(v.events.items[0]!.seq, 1);
  assert.equal(v.events.total, v.events.items.length);
  assert.deepEqual(v.leaks, []);
  // Every connection event belongs to this pool: each lane starts by connecting.
  const first = new Map<number, string>();
  for (const e of v.events.items) if (e.conn !== null && !first.has(e.conn)) first.set(e.conn, e.type);
  assert.deepEqual([...new Set(first.values())], ['connecting']);
});

test('a connection the server closed shows as idle in the pool but gone from the server', async () => {
  const m = model();
  await act(m, { type: 'setWaitTimeout', seconds: 2, scope: 'global' });
  await act(m, { type: 'runPreset', preset: 'pooled', queries: 8 });
  await act(m, { type: 'wait', ms: 3000 });
  const v = m.view();
  assert.ok(v.connections.cells.length > 0);
  assert.ok(v.connections.cells.every((c) => c.state === 'idle' && c.onServer === false));
  assert.equal(v.server.processes.length, 0);
});

test('borrow, query, return by hand; an exhausted pool queues the borrower and hands it the next return', async () => {
  const m = model();
  await act(m, { type: 'configure', pool: { ...m.view().config.pool, minIdle: 0, maxIdle: 1, maxSize: 1, acquireTimeoutMs: 10_000 } });
  await act(m, { type: 'borrow' });
  assert.deepEqual(m.view().leases.map((l) => l.lease), [1]);
  await act(m, { type: 'query', lease: 1 });
  assert.match(m.view().timeline.labels.at(-1)!, /query on lease 1: 1 rows/);
  await act(m, { type: 'borrow', waitMs: 50 });
  let v = m.view();
  assert.equal(v.waiters.queue.length, 1);
  assert.equal(v.waiters.queue[0]!.borrower, 'you');
  assert.match(v.timeline.labels.at(-1)!, /still waiting/);
  await act(m, { type: 'release', lease: 1 });
  v = m.view();
  assert.equal(v.waiters.queue.length, 0);
  assert.deepEqual(v.leases.map((l) => l.lease), [2], 'the queued borrow got the returned connection');
  assert.equal(v.connections.cells[0]!.borrower, 'you (lease 2)');
  checkPicture(v);
});

test('bad operations are refused with a UserError and change nothing', async () => {
  const m = model();
  await assert.rejects(act(m, { type: 'release', lease: 9 }), (e: unknown) => e instanceof UserError && /no lease 9/.test(e.message));
  await assert.rejects(act(m, { type: 'kill', threadId: 999 }), (e: unknown) => e instanceof UserError && /Unknown thread id: 999/.test(e.message));
  await assert.rejects(act(m, { type: 'configure', pool: { ...m.view().config.pool, minIdle: 9 } }), /minIdle \(9\) is above maxSize/);
  assert.equal(m.view().timeline.length, 0);
  await act(m, { type: 'borrow' });
  await act(m, { type: 'query', lease: 1, sql: 'DROP TABLE users' });
  assert.equal(m.view().timeline.length, 2);
  assert.match(m.view().timeline.labels.at(-1)!, /ER_PARSE_ERROR/, 'SQL the embedded server does not run is a failed query, recorded as such');
});

test('the leak preset hands the leaked connection to you, with the borrowing stack in the leak report', async () => {
  const m = model();
  await act(m, { type: 'runPreset', preset: 'leak' });
  let v = m.view();
  assert.equal(v.leaks.length, 1);
  assert.match(v.leaks[0]!.stack, /exportMonthlyReport/);
  assert.equal(v.leases.length, 1);
  assert.equal(v.leases[0]!.borrower, 'Leaked connection');
  assert.ok(v.connections.cells.find((c) => c.id === v.leases[0]!.conn)!.leaked);
  await act(m, { type: 'release', lease: v.leases[0]!.lease });
  v = m.view();
  assert.equal(v.leases.length, 0);
  assert.equal(v.metrics.active, 0);
});

const script: PoolIntent[] = [
  { type: 'borrow' },
  { type: 'query', lease: 1 },
  { type: 'setWaitTimeout', seconds: 2, scope: 'session' },
  { type: 'borrow' },
  { type: 'release', lease: 1 },
  { type: 'wait', ms: 2500 },
  { type: 'kill', threadId: 1 },
  { type: 'runPreset', preset: 'exhaustion' },
  { type: 'configure', pool: { minIdle: 1, maxSize: 3, maxIdle: 2, maxUses: 0, acquireTimeoutMs: 500, idleTimeoutMs: 1000, maxLifetimeMs: 0, keepaliveMs: 300, validateOnBorrow: true, leakThresholdMs: 200, initSql: [] } },
  { type: 'borrow' },
  { type: 'wait', ms: 1500 },
  { type: 'configureServer', settings: { maxConnections: 2, waitTimeoutS: 1, connectMs: 5, queryMs: 1, pingMs: 1, jitter: 0.5 } },
  { type: 'runPreset', preset: 'per-query', queries: 20 },
  { type: 'useEmbedded' },
  { type: 'runPreset', preset: 'leak' },
];

test('seeking to any step shows exactly what that step showed: the embedded server replays deterministically', async () => {
  const m = model();
  const seen: string[] = [stateOf(m.view())];
  for (const i of script) {
    await act(m, i);
    const v = m.view();
    checkPicture(v);
    seen.push(stateOf(v));
  }
  for (const n of [5, 0, script.length, 9, 1, 14, 3]) {
    m.seek(n);
    assert.equal(stateOf(m.view()), seen[n], `step ${n}`);
  }
});

test('acting after seeking back branches the timeline there', async () => {
  const m = model();
  for (const i of script.slice(0, 6)) await act(m, i);
  m.seek(2);
  await act(m, { type: 'runPreset', preset: 'pooled', queries: 8 });
  const v = m.view();
  assert.equal(v.timeline.length, 3);
  assert.equal(v.timeline.cursor, 3);
  assert.match(v.timeline.labels[2]!, /^Pooled/);
});

test('an exported session rebuilds the same model, at the same cursor', async () => {
  const m = model();
  for (const i of script) await act(m, i);
  m.seek(11);
  const text = JSON.stringify(m.exportSession());
  const file = parseSessionFile(text, { kind: 'pool', config: poolModelFactory.configSchema, step: poolModelFactory.stepSchema });
  const copy = poolModelFactory.fromSession(file) as PoolModel;
  assert.equal(stateOf(copy.view()), stateOf(m.view()));
  copy.seek(script.length);
  m.seek(script.length);
  assert.equal(stateOf(copy.view()), stateOf(m.view()));
});

test('a damaged recorded step in a session file is refused by the schema', async () => {
  const m = model();
  await act(m, { type: 'borrow' });
  const file = m.exportSession() as unknown as { steps: unknown[] };
  file.steps.push({ kind: 'recorded', picture: { config: 'not a config' } });
  (file as unknown as { labels: string[] }).labels.push('forged');
  assert.throws(() => parseSessionFile(JSON.stringify(file), { kind: 'pool', config: poolModelFactory.configSchema, step: poolModelFactory.stepSchema }), /damaged: steps\[1\]/);
});
