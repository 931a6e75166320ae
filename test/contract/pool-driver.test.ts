/**
 * The driver contract: the same test bodies run against the embedded simulated server and against
 * a real MariaDB (installed and started by test/services/mariadb.ts on a free loopback port). What
 * the pool relies on — errors, codes, wait_timeout, KILL, max_connections — must be the same on both.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { DriverConnection, DriverError, QueryResult, Result } from '../../extension/engines/pool/driver';
import { EmbeddedRuntime, MysqlRuntime, type Runtime } from '../../extension/engines/pool/runtime';
import { startMariaDb, type MariaDbService } from '../services/mariadb';

interface Rig {
  name: string;
  start(): Promise<Runtime>;
  stop(): Promise<void>;
}

let db: MariaDbService | undefined;
const rigs: Rig[] = [
  {
    name: 'embedded',
    start: async () => new EmbeddedRuntime({ maxConnections: 12 }, 7),
    stop: async () => {},
  },
  {
    name: 'mariadb',
    start: async () => {
      db = await startMariaDb({ maxConnections: 12 });
      const { runtime } = await MysqlRuntime.open({ host: db.host, port: db.port, user: db.user, database: db.database }, db.password);
      return runtime;
    },
    stop: async () => { await db?.stop(); },
  },
];

for (const rig of rigs) {
  describe(`driver contract: ${rig.name}`, () => {
    let rt: Runtime;
    const opened: DriverConnection[] = [];
    const LIMIT = 10_000;

    const connect = async (initSql: string[] = []): Promise<DriverConnection> => {
      const r = await rt.settle<Result<DriverConnection>>((d) => rt.driver.connect({ initSql }, d), LIMIT, 'connect');
      if (!r.ok) assert.fail(`connect failed: ${r.error.code} ${r.error.message}`);
      opened.push(r.value);
      return r.value;
    };
    const query = (c: DriverConnection, sql: string): Promise<Result<QueryResult>> => rt.settle((d) => c.query(sql, d), LIMIT, sql);
    const ping = (c: DriverConnection): Promise<Result<void>> => rt.settle((d) => c.ping(d), LIMIT, 'ping');
    const end = (c: DriverConnection): Promise<void> => rt.settle<void>((d) => c.end(() => d()), LIMIT, 'end');
    const rows = async (c: DriverConnection, sql: string): Promise<Record<string, unknown>[]> => {
      const r = await query(c, sql);
      if (!r.ok) assert.fail(`${sql} failed: ${r.error.code} ${r.error.message}`);
      return r.value.rows;
    };
    const admin = <T>(op: (d: (r: Result<T>) => void) => void): Promise<T> =>
      rt.settle<Result<T>>(op, LIMIT, 'admin').then((r) => (r.ok ? r.value : assert.fail(`admin failed: ${r.error.code} ${r.error.message}`)));
    const threads = async (): Promise<number[]> => (await admin(rt.driver.admin.processList)).map((p) => p.id);
    /** The server drops a thread a moment after the client leaves; wait for it, bounded. */
    const eventually = async (check: () => Promise<boolean>, what: string): Promise<void> => {
      for (let i = 0; i < 50; i++) {
        if (await check()) return;
        await rt.sleep(20);
      }
      assert.fail(`never happened: ${what}`);
    };
    const expectLost = (r: Result<unknown>): DriverError => {
      assert.equal(r.ok, false, 'the command should have failed');
      const e = (r as { error: DriverError }).error;
      assert.equal(e.code, 'PROTOCOL_CONNECTION_LOST', e.message);
      assert.equal(e.fatal, true);
      return e;
    };

    before(async () => { rt = await rig.start(); });
    after(async () => {
      for (const c of opened) await end(c).catch(() => {});
      await rt?.close();
      await rig.stop();
    });

    test('connects and answers SELECT 1 and CONNECTION_ID(), which is its thread id', async () => {
      const c = await connect();
      assert.deepEqual(await rows(c, 'SELECT 1'), [{ '1': 1 }]);
      assert.deepEqual(await rows(c, 'SELECT CONNECTION_ID() AS id'), [{ id: c.threadId }]);
    });

    test('each connection is a thread in the process list; end() removes it', async () => {
      const a = await connect();
      const b = await connect();
      assert.notEqual(a.threadId, b.threadId);
      const before = await threads();
      assert.ok(before.includes(a.threadId) && before.includes(b.threadId), `${before} lacks ${a.threadId}, ${b.threadId}`);
      const row = (await admin(rt.driver.admin.processList)).find((p) => p.id === a.threadId)!;
      assert.equal(row.command, 'Sleep');
      await end(a);
      await eventually(async () => !(await threads()).includes(a.threadId), `thread ${a.threadId} gone`);
      assert.ok((await threads()).includes(b.threadId));
    });

    test('ping answers on a live connection', async () => {
      const c = await connect();
      assert.deepEqual(await ping(c), { ok: true, value: undefined });
    });

    test('SELECT SLEEP(0.2) holds the connection for about 200 ms', async () => {
      const c = await connect();
      const t0 = rt.scheduler.now();
      const r = await query(c, 'SELECT SLEEP(0.2) AS s');
      assert.ok(r.ok);
      const took = rt.scheduler.now() - t0;
      assert.ok(took >= 195 && took < 1500, `took ${took} ms`);
    });

    test('initSql runs before the connection is handed out', async () => {
      const c = await connect(['SET SESSION wait_timeout = 7']);
      assert.deepEqual(await rows(c, 'SELECT @@session.wait_timeout AS wait_timeout'), [{ wait_timeout: 7 }]);
    });

    test('a bad statement fails with ER_PARSE_ERROR and leaves the connection usable', async () => {
      const c = await connect();
      const r = await query(c, 'SELEC 1');
      assert.equal(r.ok, false);
      const e = (r as { error: DriverError }).error;
      assert.equal(e.code, 'ER_PARSE_ERROR');
      assert.equal(e.errno, 1064);
      assert.equal(e.fatal, false);
      assert.deepEqual(await rows(c, 'SELECT 1'), [{ '1': 1 }]);
    });

    test('the server closes a connection idle past its wait_timeout: the next query fails with PROTOCOL_CONNECTION_LOST', async () => {
      const idle = await connect(['SET SESSION wait_timeout = 1']);
      const busy = await connect(['SET SESSION wait_timeout = 1']);
      // A command before the timeout restarts the server's idle clock: pinging keeps `busy` alive.
      for (let i = 0; i < 4; i++) {
        await rt.sleep(600);
        assert.ok((await ping(busy)).ok, `ping ${i} failed`);
      }
      assert.ok(!(await threads()).includes(idle.threadId), 'the idle thread should be gone from the process list');
      expectLost(await query(idle, 'SELECT 1'));
      expectLost(await ping(idle));
      assert.deepEqual(await rows(busy, 'SELECT 1'), [{ '1': 1 }]);
    });

    test('SET GLOBAL wait_timeout applies to connections opened afterwards, not to open ones', async () => {
      const vars = await admin(rt.driver.admin.variables);
      const old = await connect();
      try {
        await admin<void>((d) => rt.driver.admin.setGlobalWaitTimeout(5, d));
        assert.equal((await admin(rt.driver.admin.variables)).waitTimeoutS, 5);
        const fresh = await connect();
        assert.deepEqual(await rows(fresh, 'SELECT @@session.wait_timeout AS w'), [{ w: 5 }]);
        assert.deepEqual(await rows(old, 'SELECT @@session.wait_timeout AS w'), [{ w: vars.waitTimeoutS }]);
      } finally {
        await admin<void>((d) => rt.driver.admin.setGlobalWaitTimeout(vars.waitTimeoutS, d));
      }
    });

    test('KILL closes a connection server-side; its client finds out on its next command', async () => {
      const victim = await connect();
      const other = await connect();
      await admin<void>((d) => rt.driver.admin.kill(victim.threadId, d));
      await eventually(async () => !(await threads()).includes(victim.threadId), 'killed thread gone');
      expectLost(await query(victim, 'SELECT 1'));
      assert.deepEqual(await rows(other, 'SELECT 1'), [{ '1': 1 }]);
      const unknown = await rt.settle<Result<void>>((d) => rt.driver.admin.kill(999_999, d), LIMIT, 'kill');
      assert.equal(unknown.ok, false);
      assert.equal((unknown as { error: DriverError }).error.code, 'ER_NO_SUCH_THREAD');
    });

    test('a command after end() fails with PROTOCOL_ENQUEUE_AFTER_QUIT', async () => {
      const c = await connect();
      await end(c);
      const r = await query(c, 'SELECT 1');
      assert.equal(r.ok, false);
      assert.equal((r as { error: DriverError }).error.code, 'PROTOCOL_ENQUEUE_AFTER_QUIT');
    });

    test('past max_connections the server refuses with ER_CON_COUNT_ERROR', async () => {
      for (const c of opened.splice(0)) await end(c);
      await eventually(async () => (await threads()).length === 0, 'all test connections closed');
      const { maxConnections } = await admin(rt.driver.admin.variables);
      let refused: DriverError | undefined;
      let count = 0;
      while (count <= maxConnections + 2) {
        const r = await rt.settle<Result<DriverConnection>>((d) => rt.driver.connect({}, d), LIMIT, 'connect');
        if (!r.ok) { refused = r.error; break; }
        opened.push(r.value);
        count++;
      }
      assert.ok(refused, `${count} connections opened without a refusal`);
      assert.equal(refused.code, 'ER_CON_COUNT_ERROR', refused.message);
      assert.equal(refused.errno, 1040);
      // A real server counts the admin connection, and lets an account with SUPER open one extra.
      assert.ok(count >= maxConnections - 1 && count <= maxConnections + 1, `refused after ${count} of ${maxConnections}`);
      for (const c of opened.splice(0)) await end(c);
    });
  });
}
