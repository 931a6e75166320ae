/**
 * The embedded MySQL server: just enough of one to show what a pool is up against. Connecting
 * costs time; `max_connections` refuses the connection after the last with ER_CON_COUNT_ERROR;
 * a connection idle longer than its session `wait_timeout` is closed by the server, and so is one
 * the operator KILLs; the client learns of it only on its next command. Costs are calibrated on a
 * loopback MariaDB 10.11 through mysql2 (connect ≈ 2 ms, SELECT 1 ≈ 0.25 ms, ping ≈ 0.2 ms) and
 * jittered by a seeded Prng, so runs are realistic yet replay exactly.
 *
 * It understands a handful of statements (see `parseSql`); anything else is refused with a
 * syntax error that says so.
 */
import { Prng } from '../core/prng';
import type { SimServerSettings } from '../../protocol/pool';
import { ERR, failure, success, type DriverError, type ProcessRow, type Result, type ServerVariables } from './driver';
import type { Scheduler, Timer } from './scheduler';

export type { SimServerSettings } from '../../protocol/pool';

export const defaultSimServerSettings: SimServerSettings = {
  maxConnections: 151,
  waitTimeoutS: 28_800,
  connectMs: 2,
  queryMs: 0.25,
  pingMs: 0.2,
  jitter: 0.3,
};

/** What the server tells a client about its connection being closed from the server side. */
export interface ServerSideCloseListener {
  (reason: 'wait_timeout' | 'killed'): void;
}

interface Thread {
  id: number;
  host: string;
  command: 'Sleep' | 'Query' | 'Ping';
  commandSince: number;
  info: string | null;
  waitTimeoutS: number;
  idleTimer: Timer | undefined;
  onClose: ServerSideCloseListener;
}

export type SqlCommand =
  | { kind: 'select1' }
  | { kind: 'sleep'; seconds: number }
  | { kind: 'connectionId'; column: string }
  | { kind: 'getWaitTimeout'; scope: 'session' | 'global'; column: string }
  | { kind: 'setWaitTimeout'; scope: 'session' | 'global'; seconds: number }
  | { kind: 'kill'; threadId: number };

export const SUPPORTED_SQL =
  'SELECT 1, SELECT SLEEP(n), SELECT CONNECTION_ID(), SELECT @@[session.|global.]wait_timeout, SET [SESSION|GLOBAL] wait_timeout = n, KILL [CONNECTION] id';

const MAX_WAIT_TIMEOUT_S = 31_536_000;

/** Parses the statements the embedded server understands; undefined for anything else. */
export function parseSql(sql: string): SqlCommand | undefined {
  const s = sql.trim().replace(/;$/, '').trim();
  const alias = (expr: string, rest: string | undefined): string => rest?.trim().replace(/^AS\s+/i, '').replace(/^`|`$/g, '') || expr;
  let m: RegExpMatchArray | null;
  if (/^SELECT\s+1$/i.test(s)) return { kind: 'select1' };
  if ((m = s.match(/^SELECT\s+SLEEP\(\s*(\d+(?:\.\d+)?)\s*\)(\s+(?:AS\s+)?\w+)?$/i))) return { kind: 'sleep', seconds: Number(m[1]) };
  if ((m = s.match(/^SELECT\s+CONNECTION_ID\(\)(\s+(?:AS\s+)?`?\w+`?)?$/i))) return { kind: 'connectionId', column: alias('CONNECTION_ID()', m[1]) };
  if ((m = s.match(/^SELECT\s+(@@(?:(session|global)\.)?wait_timeout)(\s+(?:AS\s+)?`?\w+`?)?$/i)))
    return { kind: 'getWaitTimeout', scope: m[2]?.toLowerCase() === 'global' ? 'global' : 'session', column: alias(m[1]!, m[3]) };
  if ((m = s.match(/^SET\s+(?:(SESSION|GLOBAL)\s+|@@(?:(session|global)\.)?)?wait_timeout\s*=\s*(\d+)$/i))) {
    const scope = (m[1] ?? m[2] ?? 'session').toLowerCase() === 'global' ? 'global' : 'session';
    return { kind: 'setWaitTimeout', scope, seconds: Math.min(MAX_WAIT_TIMEOUT_S, Math.max(1, Number(m[3]))) };
  }
  if ((m = s.match(/^KILL\s+(?:CONNECTION\s+)?(\d+)$/i))) return { kind: 'kill', threadId: Number(m[1]) };
  return undefined;
}

function unsupported(sql: string): DriverError {
  return {
    code: 'ER_PARSE_ERROR',
    errno: 1064,
    sqlState: '42000',
    fatal: false,
    message: `The embedded server does not understand "${sql.slice(0, 80)}". It runs only: ${SUPPORTED_SQL}. Switch to a real MySQL server for other SQL.`,
  };
}

export class SimServer {
  readonly settings: SimServerSettings;
  private readonly threads = new Map<number, Thread>();
  private nextThreadId = 1;
  private readonly prng: Prng;

  constructor(private readonly scheduler: Scheduler, settings: Partial<SimServerSettings> = {}, seed = 1) {
    this.settings = { ...defaultSimServerSettings, ...settings };
    this.prng = new Prng(seed);
  }

  /** A cost in ms with the configured jitter. */
  cost(baseMs: number): number {
    const j = this.settings.jitter;
    return baseMs * (1 - j / 2 + j * this.prng.next());
  }

  get connectionCount(): number {
    return this.threads.size;
  }

  /** Accepts a connection after the connect cost, or refuses it when max_connections are open. */
  accept(onClose: ServerSideCloseListener, done: (r: Result<number>) => void): void {
    this.scheduler.after(this.cost(this.settings.connectMs), () => {
      if (this.threads.size >= this.settings.maxConnections) return done(failure(ERR.tooManyConnections()));
      const id = this.nextThreadId++;
      const t: Thread = {
        id, host: `127.0.0.1:${40000 + id}`, command: 'Sleep', commandSince: this.scheduler.now(), info: null,
        waitTimeoutS: this.settings.waitTimeoutS, idleTimer: undefined, onClose,
      };
      this.threads.set(id, t);
      this.goIdle(t);
      done(success(id));
    });
  }

  isOpen(threadId: number): boolean {
    return this.threads.has(threadId);
  }

  /**
   * Runs one command on a thread. `done` gets the result after the command's cost, or a
   * connection-lost error if the server closes the thread meanwhile (the thread's close listener
   * is the client's, which fails the in-flight command).
   */
  execute(threadId: number, command: { ping: true } | { sql: string }, done: (r: Result<Record<string, unknown>[]>) => void): void {
    const t = this.threads.get(threadId);
    if (!t) return done(failure(ERR.connectionLost('the server no longer knows this connection')));
    t.idleTimer?.cancel();
    t.idleTimer = undefined;
    const now = this.scheduler.now();
    if ('ping' in command) {
      t.command = 'Ping';
      t.info = null;
      t.commandSince = now;
      this.scheduler.after(this.cost(this.settings.pingMs), () => this.finish(t, () => success([]), done));
      return;
    }
    t.command = 'Query';
    t.info = command.sql;
    t.commandSince = now;
    const parsed = parseSql(command.sql);
    const base = this.cost(this.settings.queryMs);
    if (!parsed) return void this.scheduler.after(base, () => this.finish(t, () => failure(unsupported(command.sql)), done));
    const extra = parsed.kind === 'sleep' ? parsed.seconds * 1000 : 0;
    this.scheduler.after(base + extra, () => this.finish(t, () => this.apply(t, parsed), done));
  }

  /** COM_QUIT: the client leaves; the server forgets the thread. */
  quit(threadId: number): void {
    const t = this.threads.get(threadId);
    if (!t) return;
    t.idleTimer?.cancel();
    this.threads.delete(threadId);
  }

  kill(threadId: number): Result<void> {
    const t = this.threads.get(threadId);
    if (!t) return failure({ code: 'ER_NO_SUCH_THREAD', errno: 1094, sqlState: 'HY000', fatal: false, message: `Unknown thread id: ${threadId}` });
    this.closeThread(t, 'killed');
    return success(undefined);
  }

  processList(): ProcessRow[] {
    const now = this.scheduler.now();
    return [...this.threads.values()].map((t) => ({
      id: t.id,
      user: 'app',
      host: t.host,
      db: 'shop',
      command: t.command === 'Ping' ? 'Sleep' : t.command,
      timeS: Math.floor((now - t.commandSince) / 1000),
      state: t.command === 'Query' ? (t.info?.toUpperCase().includes('SLEEP(') ? 'User sleep' : 'Sending data') : '',
      info: t.command === 'Query' ? t.info : null,
    }));
  }

  variables(): ServerVariables {
    return { waitTimeoutS: this.settings.waitTimeoutS, maxConnections: this.settings.maxConnections, version: '10.11-embedded-simulation' };
  }

  private apply(t: Thread, cmd: SqlCommand): Result<Record<string, unknown>[]> {
    switch (cmd.kind) {
      case 'select1':
        return success([{ '1': 1 }]);
      case 'sleep':
        return success([{ [`SLEEP(${cmd.seconds})`]: 0 }]);
      case 'connectionId':
        return success([{ [cmd.column]: t.id }]);
      case 'getWaitTimeout':
        return success([{ [cmd.column]: cmd.scope === 'global' ? this.settings.waitTimeoutS : t.waitTimeoutS }]);
      case 'setWaitTimeout':
        if (cmd.scope === 'global') this.settings.waitTimeoutS = cmd.seconds;
        else t.waitTimeoutS = cmd.seconds;
        return success([]);
      case 'kill': {
        const r = this.kill(cmd.threadId);
        return r.ok ? success([]) : r;
      }
    }
  }

  /**
   * Completes a command: runs its effect, then the thread goes idle (its wait_timeout counting
   * from now) and the client gets the result. A thread closed meanwhile — killed by someone else
   * while the command ran, or by the command itself — has already failed the command through its
   * close listener.
   */
  private finish<T>(t: Thread, effect: () => Result<T>, done: (r: Result<T>) => void): void {
    if (!this.threads.has(t.id)) return;
    const r = effect();
    if (!this.threads.has(t.id)) return;
    this.goIdle(t);
    done(r);
  }

  private goIdle(t: Thread): void {
    t.command = 'Sleep';
    t.info = null;
    t.commandSince = this.scheduler.now();
    t.idleTimer = this.scheduler.after(t.waitTimeoutS * 1000, () => this.closeThread(t, 'wait_timeout'));
  }

  private closeThread(t: Thread, reason: 'wait_timeout' | 'killed'): void {
    t.idleTimer?.cancel();
    this.threads.delete(t.id);
    t.onClose(reason);
  }
}
