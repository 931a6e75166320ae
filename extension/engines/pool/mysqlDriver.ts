/**
 * The real driver: MySQL or MariaDB through mysql2's callback API. Its errors are mysql2's, made
 * uniform where mysql2 is not: once mysql2 has seen the server close a connection it fails later
 * commands with "Can't add new command when connection is in closed state" and no code; the
 * driver reports those, like a close seen during a command (PROTOCOL_CONNECTION_LOST, ECONNRESET,
 * EPIPE), as PROTOCOL_CONNECTION_LOST with mysql2's words kept in the message — the same error the
 * embedded driver gives.
 *
 * The admin side uses one extra connection of its own (it counts against max_connections and is
 * left out of the process list it reports).
 */
import { createConnection, type Connection, type QueryError } from 'mysql2';
import {
  ERR, failure, runInitSql, success,
  type ConnectOptions, type Done, type Driver, type DriverConnection, type DriverError, type ProcessRow, type QueryResult, type Result, type ServerAdmin,
} from './driver';
import { describeTarget, type MysqlSettings } from './mysqlSettings';

const CONNECT_TIMEOUT_MS = 5000;
/** How long end() waits for the server to acknowledge COM_QUIT before dropping the socket. */
const END_GRACE_MS = 1000;

function fromMysql2(e: QueryError | Error, detail: { ended: boolean; lost?: string }): DriverError {
  const q = e as Partial<QueryError>;
  if (/closed state/i.test(e.message)) return detail.ended ? ERR.afterQuit() : ERR.connectionLost(detail.lost ?? e.message);
  if (q.code === 'PROTOCOL_CONNECTION_LOST' || q.code === 'ECONNRESET' || q.code === 'EPIPE') return ERR.connectionLost(e.message);
  return {
    code: q.code ?? 'UNKNOWN',
    ...(typeof q.errno === 'number' && q.errno > 0 ? { errno: q.errno } : {}),
    ...(q.sqlState ? { sqlState: q.sqlState } : {}),
    fatal: q.fatal === true,
    message: e.message,
  };
}

/**
 * mysql2 fails a command on a closed connection synchronously, inside the call; callers are
 * promised a callback that never runs before the call returns.
 */
function neverSync<T>(start: (reply: (v: T) => void) => void, done: (v: T) => void): void {
  let returned = false;
  start((v) => (returned ? done(v) : setImmediate(() => done(v))));
  returned = true;
}

class MysqlConnection implements DriverConnection {
  private ended = false;
  /** mysql2's words for why the connection died, when it died between commands. */
  private lost: string | undefined;

  constructor(private readonly c: Connection) {
    // An idle connection the server closes emits 'error'; without a listener it would crash the process.
    c.on('error', (e) => { this.lost ??= e.message; });
  }

  get threadId(): number {
    return this.c.threadId;
  }

  query(sql: string, done: Done<QueryResult>): void {
    neverSync<Result<QueryResult>>((reply) =>
      this.c.query(sql, (err, rows) => {
        if (err) return reply(failure(this.error(err)));
        reply(success({ rows: Array.isArray(rows) ? (rows as Record<string, unknown>[]) : [] }));
      }), done);
  }

  ping(done: Done<void>): void {
    neverSync<Result<void>>((reply) => this.c.ping((err) => reply(err ? failure(this.error(err)) : success(undefined))), done);
  }

  end(done: () => void): void {
    if (this.ended) return void setImmediate(done);
    this.ended = true;
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      this.c.destroy();
      done();
    };
    const timer = setTimeout(finish, END_GRACE_MS);
    this.c.end(() => finish());
  }

  private error(e: QueryError | Error): DriverError {
    return fromMysql2(e, { ended: this.ended, ...(this.lost !== undefined ? { lost: this.lost } : {}) });
  }
}

function open(settings: MysqlSettings, password: string, done: (r: Result<Connection>) => void): void {
  let settled = false;
  const c = createConnection({
    host: settings.host, port: settings.port, user: settings.user, password, database: settings.database,
    connectTimeout: CONNECT_TIMEOUT_MS, multipleStatements: false,
  });
  c.on('error', (e) => {
    if (settled) return;
    settled = true;
    c.destroy();
    done(failure({ ...fromMysql2(e, { ended: false }), fatal: true }));
  });
  c.connect((err) => {
    if (settled) return;
    settled = true;
    if (err) {
      c.destroy();
      return done(failure({ ...fromMysql2(err, { ended: false }), fatal: true }));
    }
    done(success(c));
  });
}

export class MysqlDriver implements Driver {
  readonly kind = 'mysql';
  readonly target: string;
  readonly admin: ServerAdmin;
  private adminConn: MysqlConnection | undefined;
  private adminWaiting: Done<MysqlConnection>[] | undefined;

  constructor(private readonly settings: MysqlSettings, private readonly password: string) {
    this.target = describeTarget(settings);
    this.admin = {
      processList: (done) =>
        this.adminQuery(
          "SELECT ID, USER, HOST, DB, COMMAND, TIME, STATE, INFO FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID() AND COMMAND <> 'Daemon' ORDER BY ID",
          (r) => done(r.ok ? success(r.value.map(toProcessRow)) : r),
        ),
      variables: (done) =>
        this.adminQuery('SELECT @@global.wait_timeout AS w, @@global.max_connections AS m, VERSION() AS v', (r) => {
          if (!r.ok) return done(r);
          const row = r.value[0] ?? {};
          done(success({ waitTimeoutS: Number(row.w), maxConnections: Number(row.m), version: String(row.v) }));
        }),
      setGlobalWaitTimeout: (seconds, done) => {
        if (!Number.isInteger(seconds) || seconds < 1) throw new RangeError(`wait_timeout must be a positive integer, not ${seconds}`);
        this.adminQuery(`SET GLOBAL wait_timeout = ${seconds}`, (r) => done(r.ok ? success(undefined) : r));
      },
      kill: (threadId, done) => {
        if (!Number.isInteger(threadId) || threadId < 1) throw new RangeError(`thread id must be a positive integer, not ${threadId}`);
        this.adminQuery(`KILL CONNECTION ${threadId}`, (r) => done(r.ok ? success(undefined) : r));
      },
      close: (done) => {
        const c = this.adminConn;
        this.adminConn = undefined;
        if (c) c.end(done);
        else setImmediate(done);
      },
    };
  }

  connect(opts: ConnectOptions, done: Done<DriverConnection>): void {
    this.openConnection(opts, done);
  }

  private openConnection(opts: ConnectOptions, done: Done<MysqlConnection>): void {
    open(this.settings, this.password, (r) => {
      if (!r.ok) return done(r);
      const conn = new MysqlConnection(r.value);
      runInitSql(conn, opts.initSql ?? [], (init) => {
        if (init.ok) return done(success(conn));
        conn.end(() => done(init));
      });
    });
  }

  /** The admin connection, opened once even when several requests ask for it at the same time. */
  private withAdmin(done: Done<MysqlConnection>): void {
    if (this.adminConn) return done(success(this.adminConn));
    if (this.adminWaiting) return void this.adminWaiting.push(done);
    this.adminWaiting = [done];
    this.openConnection({}, (r) => {
      const waiting = this.adminWaiting ?? [];
      this.adminWaiting = undefined;
      if (r.ok) this.adminConn = r.value;
      for (const w of waiting) w(r);
    });
  }

  /** Runs SQL on the admin connection, reopening it once if the server has closed it. */
  private adminQuery(sql: string, done: Done<Record<string, unknown>[]>, retried = false): void {
    this.withAdmin((c) => {
      if (!c.ok) return done(c);
      c.value.query(sql, (r) => {
        if (!r.ok && r.error.code === 'PROTOCOL_CONNECTION_LOST' && !retried) {
          if (this.adminConn === c.value) this.adminConn = undefined;
          return this.adminQuery(sql, done, true);
        }
        done(r.ok ? success(r.value.rows) : r);
      });
    });
  }
}

function toProcessRow(r: Record<string, unknown>): ProcessRow {
  return {
    id: Number(r.ID),
    user: String(r.USER ?? ''),
    host: String(r.HOST ?? ''),
    db: r.DB == null ? null : String(r.DB),
    command: String(r.COMMAND ?? ''),
    timeS: Number(r.TIME ?? 0),
    state: String(r.STATE ?? ''),
    info: r.INFO == null ? null : String(r.INFO),
  };
}
