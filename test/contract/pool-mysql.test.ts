/**
 * The pool on a real MariaDB (started by test/services/mariadb.ts): refused connections are clear
 * messages, every preset shows on a real server what it shows on the embedded one, and the model
 * records real steps, shows the server's process list, and never records the password.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { UserError, noRunContext } from '../../extension/engines/core/model';
import { parseSessionFile } from '../../extension/engines/core/sessionFile';
import { MysqlRuntime, poolModelFactory, startPreset, type PoolModel } from '../../extension/engines/pool';
import { freePort } from '../services/process';
import { startMariaDb, type MariaDbService } from '../services/mariadb';
import type { PresetName, PresetResult } from '../../extension/protocol/pool';

let db: MariaDbService;
const settings = (): { host: string; port: number; user: string; database: string } => ({ host: db.host, port: db.port, user: db.user, database: db.database });

before(async () => { db = await startMariaDb({ maxConnections: 30 }); });
after(async () => { await db?.stop(); });

describe('connecting to a real server', () => {
  test('nothing listening: a UserError that says so and what to do', async () => {
    const port = await freePort();
    await assert.rejects(MysqlRuntime.open({ ...settings(), port }, db.password), (e: unknown) =>
      e instanceof UserError && e.message.includes(`127.0.0.1:${port}`) && /nothing is listening there \(connection refused\)\. Start the server/.test(e.message));
  });

  test('a wrong password: the login was refused, check the user and password', async () => {
    await assert.rejects(MysqlRuntime.open(settings(), 'not-the-password'), (e: unknown) =>
      e instanceof UserError && /refused the login for user "dsi": Access denied/.test(e.message) && /password/.test(e.message));
  });

  test('a database that does not exist: named, with what to do', async () => {
    await assert.rejects(MysqlRuntime.open({ ...settings(), database: 'no_such_db' }, db.password), (e: unknown) =>
      e instanceof UserError && /has no database "no_such_db"/.test(e.message) && /CREATE DATABASE/.test(e.message));
  });

  test('good settings: the server answers with its variables', async () => {
    const { runtime, variables } = await MysqlRuntime.open(settings(), db.password);
    assert.equal(variables.maxConnections, 30);
    assert.match(variables.version, /MariaDB/);
    await runtime.close();
  });
});

describe('presets on a real server', () => {
  const results = new Map<PresetName, PresetResult>();
  const run = async (name: PresetName, queries?: number): Promise<PresetResult> => {
    const { runtime } = await MysqlRuntime.open(settings(), db.password);
    try {
      const r = startPreset(name, runtime, queries === undefined ? {} : { queries });
      const result = await runtime.settle<PresetResult>((d) => r.onFinished(d), 60_000, name);
      await runtime.settle<void>((d) => r.pool.shutdown(d), 10_000, 'shutdown');
      results.set(name, result);
      return result;
    } finally {
      await runtime.close();
    }
  };

  test('stale: connections idle past wait_timeout fail their first queries with PROTOCOL_CONNECTION_LOST', async () => {
    const r = await run('stale');
    assert.equal(r.driver, 'mysql');
    assert.ok(r.failedQueries >= 1, r.verdict);
    assert.deepEqual(Object.keys(r.errorsByCode), ['PROTOCOL_CONNECTION_LOST']);
    assert.ok(r.durationMs >= 3000, `${r.durationMs} ms: the idle gap is real time`);
  });

  test('stale-keepalive: pings keep the connections alive, no query fails', async () => {
    const r = await run('stale-keepalive');
    assert.equal(r.failedQueries, 0, r.verdict);
    assert.ok(r.keepalivePings >= 4);
    assert.equal(r.connectionsCreated, 4);
  });

  test('stale-validate: validation replaces the dead connections, no query fails', async () => {
    const r = await run('stale-validate');
    assert.equal(r.failedQueries, 0, r.verdict);
    assert.ok(r.validationFailures >= 1);
  });

  test('exhaustion: borrowers queue and some give up with POOL_ACQUIRE_TIMEOUT', async () => {
    const r = await run('exhaustion');
    assert.ok(r.acquireTimeouts >= 1, r.verdict);
    assert.ok(r.peakWaiting >= 4);
    assert.equal(r.errorsByCode.POOL_ACQUIRE_TIMEOUT, r.acquireTimeouts);
  });

  test('leak: reported with the stack of the handler that borrowed it', async () => {
    const r = await run('leak');
    assert.equal(r.leaksDetected, 1);
    assert.match(r.leakStack ?? '', /exportMonthlyReport/);
  });

  test('per-query opens a connection per query; pooled reuses 4 and is faster', async () => {
    const perQuery = await run('per-query', 200);
    const pooled = await run('pooled', 200);
    assert.equal(perQuery.connectionsCreated, 200);
    assert.equal(pooled.connectionsCreated, 4);
    assert.equal(perQuery.failedQueries + pooled.failedQueries, 0);
    assert.ok(pooled.throughputQps > perQuery.throughputQps, `pooled ${pooled.throughputQps} q/s vs per-query ${perQuery.throughputQps} q/s`);
  });
});

describe('the model on a real server', () => {
  let m: PoolModel;
  const act = (i: Parameters<PoolModel['dispatch']>[0]): Promise<void> => Promise.resolve(m.dispatch(i, noRunContext));

  before(() => { m = poolModelFactory.create(poolModelFactory.defaults()) as PoolModel; });
  after(async () => { await m.dispose(); });

  test('a refused login changes nothing: the inspector stays on the embedded server', async () => {
    await assert.rejects(act({ type: 'useMysql', ...settings(), password: 'wrong' }), UserError);
    assert.equal(m.view().config.driver, 'embedded');
    assert.equal(m.view().timeline.length, 0);
  });

  test('connected: the pool and the server process list side by side', async () => {
    await act({ type: 'configure', pool: { ...m.view().config.pool, minIdle: 1, maxIdle: 1, maxSize: 1, idleTimeoutMs: 0 } });
    await act({ type: 'useMysql', ...settings(), password: db.password });
    await act({ type: 'wait', ms: 300 });
    await act({ type: 'refreshServer' });
    const v = m.view();
    assert.equal(v.config.driver, 'mysql');
    assert.equal(v.config.target, `mysql://dsi@127.0.0.1:${db.port}/dsi_test`);
    assert.equal(v.config.clock, 'real');
    const cell = v.connections.cells[0]!;
    assert.equal(cell.state, 'idle');
    assert.equal(cell.onServer, true);
    assert.ok(v.server.processes.some((p) => p.row.id === cell.threadId && p.conn === cell.id && p.row.command === 'Sleep'));
  });

  test('a connection opened after the server list was read is not called gone from the server', async () => {
    await act({ type: 'configure', pool: { ...m.view().config.pool, minIdle: 2, maxIdle: 2, maxSize: 2 } });
    await act({ type: 'wait', ms: 100 });
    const opened = m.view().connections.cells.find((c) => c.id === 2);
    assert.ok(opened && opened.state === 'idle', JSON.stringify(m.view().connections.cells));
    assert.notEqual(opened.onServer, false, 'not in a process list read before it opened, which proves nothing');
    await act({ type: 'refreshServer' });
    assert.equal(m.view().connections.cells.find((c) => c.id === 2)?.onServer, true);
    await act({ type: 'configure', pool: { ...m.view().config.pool, minIdle: 1, maxIdle: 1, maxSize: 1 } });
    await act({ type: 'wait', ms: 100 });
    assert.equal(m.view().connections.cells.length, 1);
  });

  test('KILL on the server: the pool learns it when the next query fails', async () => {
    const thread = m.view().connections.cells[0]!.threadId!;
    await act({ type: 'kill', threadId: thread });
    assert.equal(m.view().connections.cells[0]!.onServer, false, 'idle in the pool, gone from the server');
    await act({ type: 'borrow' });
    const lease = m.view().leases[0]!.lease;
    await act({ type: 'query', lease });
    assert.match(m.view().timeline.labels.at(-1)!, /failed .*PROTOCOL_CONNECTION_LOST/);
    await act({ type: 'release', lease });
    assert.equal(m.view().metrics.evictions.broken, 1);
  });

  test('cancelling a long query kills its connection on the server; the query fails at once', async () => {
    await act({ type: 'borrow' });
    const lease = m.view().leases[0]!.lease;
    let cancelled = false;
    setTimeout(() => { cancelled = true; }, 300);
    const t0 = performance.now();
    await m.dispatch({ type: 'query', lease, sql: 'SELECT SLEEP(30)' }, { progress() {}, get cancelled() { return cancelled; } });
    assert.ok(performance.now() - t0 < 5000, `took ${performance.now() - t0} ms`);
    assert.match(m.view().timeline.labels.at(-1)!, /failed .*PROTOCOL_CONNECTION_LOST/);
    await act({ type: 'release', lease });
  });

  test('SET GLOBAL wait_timeout through the model, read back from the server', async () => {
    await act({ type: 'setWaitTimeout', seconds: 77, scope: 'global' });
    assert.equal(m.view().server.variables?.waitTimeoutS, 77);
    await act({ type: 'setWaitTimeout', seconds: 28_800, scope: 'global' });
  });

  test('the exported session holds no password; reopened, it shows the recorded steps and refuses to act', async () => {
    const text = JSON.stringify(m.exportSession());
    assert.ok(!text.includes(db.password));
    const file = parseSessionFile(text, { kind: 'pool', config: poolModelFactory.configSchema, step: poolModelFactory.stepSchema });
    const copy = poolModelFactory.fromSession(file) as PoolModel;
    const v = copy.view();
    assert.equal(v.recorded, true);
    assert.equal(v.config.driver, 'mysql');
    assert.deepEqual(v.connections, JSON.parse(text).steps.at(-1).picture.connections);
    await assert.rejects(Promise.resolve(copy.dispatch({ type: 'borrow' }, noRunContext)), /recorded on a real MySQL server that is not connected/);
    await copy.dispatch({ type: 'useEmbedded' }, noRunContext);
    assert.equal(copy.view().config.driver, 'embedded');
  });

  test('back to the embedded server: the real pool closes its connections', async () => {
    const dsiThreads = async (): Promise<number> =>
      Number(((await db.rootQuery("SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE USER = 'dsi'")) as { n: number }[])[0]!.n);
    assert.ok((await dsiThreads()) >= 1);
    await act({ type: 'useEmbedded' });
    assert.equal(m.view().config.driver, 'embedded');
    for (let i = 0; i < 50; i++) {
      if ((await dsiThreads()) === 0) return;
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.fail('the pool left connections open on the server');
  });
});
