/**
 * The client side of the embedded server, behaving as mysql2 does against a real one: a command
 * on a connection the server has closed fails with PROTOCOL_CONNECTION_LOST (fatal), a command
 * after `end()` fails with PROTOCOL_ENQUEUE_AFTER_QUIT, and a refused connection reports
 * ER_CON_COUNT_ERROR. Results are always delivered from the scheduler, never synchronously.
 *
 * The admin side works out of band: it sees and changes the server without taking a connection.
 */
import {
  ERR, failure, runInitSql, success,
  type ConnectOptions, type Done, type Driver, type DriverConnection, type DriverError, type QueryResult, type ServerAdmin,
} from './driver';
import type { Scheduler } from './scheduler';
import { SimServer } from './simServer';

class EmbeddedConnection implements DriverConnection {
  threadId = 0;
  private state: 'open' | 'lost' | 'ended' = 'open';
  private lostReason = '';
  /** The command on the wire, failed at once if the server closes the connection under it. */
  private inFlight: ((e: DriverError) => void) | undefined;
  /** end() called while a command ran: like mysql2, COM_QUIT goes out after the command completes. */
  private quitAfter: (() => void) | undefined;

  constructor(private readonly server: SimServer, private readonly scheduler: Scheduler) {}

  /** Called by the server when it closes this connection from its side. */
  serverClosed(reason: 'wait_timeout' | 'killed'): void {
    if (this.state !== 'open') return;
    this.state = 'lost';
    this.lostReason = reason === 'killed' ? 'the connection was killed' : 'idle longer than wait_timeout';
    const fail = this.inFlight;
    this.inFlight = undefined;
    fail?.(ERR.connectionLost(this.lostReason));
  }

  query(sql: string, done: Done<QueryResult>): void {
    this.run({ sql }, (r) => done(r.ok ? success({ rows: r.value }) : r));
  }

  ping(done: Done<void>): void {
    this.run({ ping: true }, (r) => done(r.ok ? success(undefined) : r));
  }

  end(done: () => void): void {
    if (this.inFlight) {
      this.quitAfter = () => this.end(done);
      return;
    }
    if (this.state === 'open') this.server.quit(this.threadId);
    this.state = 'ended';
    this.scheduler.after(0, done);
  }

  private run(command: { ping: true } | { sql: string }, done: Done<Record<string, unknown>[]>): void {
    const refused = this.state === 'lost' ? ERR.connectionLost(this.lostReason) : this.state === 'ended' ? ERR.afterQuit() : undefined;
    if (refused) return void this.scheduler.after(0, () => done(failure(refused)));
    if (this.inFlight) throw new Error('EmbeddedConnection: one command at a time (the pool never pipelines)');
    let settled = false;
    const settle = (r: Parameters<Done<Record<string, unknown>[]>>[0]): void => {
      if (settled) return;
      settled = true;
      this.inFlight = undefined;
      done(r);
      const quit = this.quitAfter;
      this.quitAfter = undefined;
      quit?.();
    };
    this.inFlight = (e) => settle(failure(e));
    this.server.execute(this.threadId, command, settle);
  }
}

export class EmbeddedDriver implements Driver {
  readonly kind = 'embedded';
  readonly target = 'embedded server';
  readonly admin: ServerAdmin;

  constructor(readonly server: SimServer, private readonly scheduler: Scheduler) {
    const later = <T>(done: Done<T>, r: Parameters<Done<T>>[0]): void => void scheduler.after(0, () => done(r));
    this.admin = {
      processList: (done) => later(done, success(server.processList())),
      variables: (done) => later(done, success(server.variables())),
      setGlobalWaitTimeout: (seconds, done) => {
        server.settings.waitTimeoutS = Math.max(1, Math.floor(seconds));
        later(done, success(undefined));
      },
      kill: (threadId, done) => later(done, server.kill(threadId)),
      close: (done) => void scheduler.after(0, done),
    };
  }

  connect(opts: ConnectOptions, done: Done<DriverConnection>): void {
    const conn = new EmbeddedConnection(this.server, this.scheduler);
    this.server.accept((reason) => conn.serverClosed(reason), (r) => {
      if (!r.ok) return done(r);
      conn.threadId = r.value;
      runInitSql(conn, opts.initSql ?? [], (init) => {
        if (init.ok) return done(success(conn));
        conn.end(() => done(init));
      });
    });
  }
}
