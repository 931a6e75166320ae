/**
 * The edge between the pool and a MySQL server. Two drivers implement it: the embedded simulated
 * server (`embeddedDriver.ts`, the default) and a real MySQL/MariaDB through mysql2
 * (`mysqlDriver.ts`); both pass the same contract tests (`test/contract/pool-driver.test.ts`).
 *
 * Operations complete through callbacks, not promises: the embedded driver completes them from a
 * virtual scheduler synchronously, so a whole simulated run — and its replay when the user scrubs
 * the timeline — is deterministic and needs no event loop turn.
 */
import type { ProcessRow, ServerVariables } from '../../protocol/pool';

/**
 * A failure as mysql2 reports it: `code` is mysql2's (ER_CON_COUNT_ERROR, ECONNREFUSED,
 * PROTOCOL_CONNECTION_LOST, …), `errno`/`sqlState` are the server's when it sent an error packet,
 * and `fatal` means the connection is unusable afterwards.
 */
export interface DriverError {
  code: string;
  errno?: number;
  sqlState?: string;
  fatal: boolean;
  message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: DriverError };
export type Done<T> = (r: Result<T>) => void;

export const success = <T>(value: T): Result<T> => ({ ok: true, value });
export const failure = (error: DriverError): Result<never> => ({ ok: false, error });

/** The error codes both drivers produce for the same situations (mysql2's names). */
export const ERR = {
  /** A command on a connection the server has closed (wait_timeout, KILL, restart). */
  connectionLost: (detail: string): DriverError => ({
    code: 'PROTOCOL_CONNECTION_LOST',
    fatal: true,
    message: `Connection lost: The server closed the connection. (${detail})`,
  }),
  /** A command on a connection this client already closed. */
  afterQuit: (): DriverError => ({ code: 'PROTOCOL_ENQUEUE_AFTER_QUIT', fatal: true, message: 'Cannot enqueue a command after the connection was closed by this client.' }),
  tooManyConnections: (): DriverError => ({ code: 'ER_CON_COUNT_ERROR', errno: 1040, sqlState: '08004', fatal: true, message: 'Too many connections' }),
} as const;

export interface QueryResult {
  /** Rows as objects keyed by column name; empty for statements that return none. */
  rows: Record<string, unknown>[];
}

export interface DriverConnection {
  /** The server's id for this connection (CONNECTION_ID(), the process list's ID). */
  readonly threadId: number;
  query(sql: string, done: Done<QueryResult>): void;
  /** COM_PING: the cheapest round trip that proves the connection is alive. */
  ping(done: Done<void>): void;
  /** Closes politely (COM_QUIT); always completes, even on a dead connection. */
  end(done: () => void): void;
}

export type { ProcessRow, ServerVariables } from '../../protocol/pool';

export type WaitTimeoutScope = 'global' | 'session';

/** What the server lets an operator see and do, next to the pool. */
export interface ServerAdmin {
  processList(done: Done<ProcessRow[]>): void;
  variables(done: Done<ServerVariables>): void;
  /** SET GLOBAL wait_timeout: affects connections opened afterwards, not existing ones. */
  setGlobalWaitTimeout(seconds: number, done: Done<void>): void;
  /** KILL CONNECTION: the server closes that connection; its client finds out on its next command. */
  kill(threadId: number, done: Done<void>): void;
  /** Releases whatever the admin side holds (a real driver's admin connection). */
  close(done: () => void): void;
}

export interface ConnectOptions {
  /** Statements run right after connecting, before the connection is handed out (e.g. SET SESSION wait_timeout = 2). */
  initSql?: readonly string[];
}

export interface Driver {
  readonly kind: 'embedded' | 'mysql';
  /** Human-readable target, e.g. "embedded server" or "mysql://app@127.0.0.1:3306/shop". */
  readonly target: string;
  connect(opts: ConnectOptions, done: Done<DriverConnection>): void;
  readonly admin: ServerAdmin;
}

/** Runs `initSql` statements one after another on a fresh connection. */
export function runInitSql(conn: DriverConnection, sql: readonly string[], done: Done<void>): void {
  let i = 0;
  const next = (): void => {
    if (i >= sql.length) return done(success(undefined));
    conn.query(sql[i++]!, (r) => (r.ok ? next() : done(r)));
  };
  next();
}

export function describeError(e: DriverError): string {
  return `${e.message} (${e.code}${e.errno !== undefined ? ` ${e.errno}` : ''})`;
}
