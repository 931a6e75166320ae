/**
 * A driver together with the time it runs in. The embedded runtime owns a virtual scheduler and
 * the simulated server, and moves time only when asked, so its runs are deterministic and can be
 * driven synchronously (the model replays them that way). The MySQL runtime runs in real time
 * against a real server. Presets, the CLI and the contract tests are written once against
 * `Runtime` and run on either.
 */
import { UserError } from '../core/model';
import type { Driver, Result, ServerVariables } from './driver';
import { EmbeddedDriver } from './embeddedDriver';
import { MysqlDriver } from './mysqlDriver';
import { checkSettings, explainConnectError, type MysqlSettings } from './mysqlSettings';
import { VirtualScheduler, realScheduler, type Scheduler } from './scheduler';
import { SimServer, type SimServerSettings } from './simServer';

export interface Runtime {
  readonly mode: 'embedded' | 'mysql';
  readonly scheduler: Scheduler;
  readonly driver: Driver;
  /** Starts a callback-style operation and resolves with its result; rejects if it takes longer than `limitMs`. */
  settle<T>(op: (done: (value: T) => void) => void, limitMs: number, what: string): Promise<T>;
  /** Lets `ms` pass: on the virtual clock (firing what falls due) or in real time. */
  sleep(ms: number): Promise<void>;
  /** Releases what the runtime holds (the admin connection of a real server). */
  close(): Promise<void>;
}

export class EmbeddedRuntime implements Runtime {
  readonly mode = 'embedded';
  readonly scheduler: VirtualScheduler;
  readonly server: SimServer;
  readonly driver: EmbeddedDriver;

  constructor(settings: Partial<SimServerSettings> = {}, seed = 1, startMs = 0) {
    this.scheduler = new VirtualScheduler(startMs);
    this.server = new SimServer(this.scheduler, settings, seed);
    this.driver = new EmbeddedDriver(this.server, this.scheduler);
  }

  /**
   * Runs the simulation until `op` calls back or `limitMs` of simulated time pass; returns
   * undefined in the latter case. Synchronous: nothing here waits for the event loop.
   */
  settleSync<T>(op: (done: (value: T) => void) => void, limitMs: number): { value: T } | undefined {
    let out: { value: T } | undefined;
    op((value) => { out ??= { value }; });
    this.scheduler.runUntil(() => out !== undefined, limitMs);
    return out;
  }

  settle<T>(op: (done: (value: T) => void) => void, limitMs: number, what: string): Promise<T> {
    const r = this.settleSync(op, limitMs);
    return r ? Promise.resolve(r.value) : Promise.reject(new Error(`${what} did not finish within ${limitMs} ms of simulated time`));
  }

  sleep(ms: number): Promise<void> {
    this.scheduler.advance(ms);
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

export class MysqlRuntime implements Runtime {
  readonly mode = 'mysql';
  readonly scheduler = realScheduler;
  readonly driver: MysqlDriver;

  private constructor(readonly settings: MysqlSettings, password: string) {
    this.driver = new MysqlDriver(settings, password);
  }

  /**
   * Connects to the server once to prove the settings work (and reads its variables), so a wrong
   * host, password or database is a clear UserError up front rather than a pool full of failures.
   */
  static async open(settings: MysqlSettings, password: string): Promise<{ runtime: MysqlRuntime; variables: ServerVariables }> {
    checkSettings(settings);
    const runtime = new MysqlRuntime(settings, password);
    const r = await runtime.settle<Result<ServerVariables>>((done) => runtime.driver.admin.variables(done), 15_000, 'Connecting to MySQL');
    if (!r.ok) {
      await runtime.close();
      throw new UserError(explainConnectError(r.error, settings));
    }
    return { runtime, variables: r.value };
  }

  settle<T>(op: (done: (value: T) => void) => void, limitMs: number, what: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${what} did not finish within ${limitMs} ms`)), limitMs);
      op((value) => { clearTimeout(timer); resolve(value); });
    });
  }

  sleep(ms: number): Promise<void> {
    return new Promise((r) => setTimeout(r, ms));
  }

  close(): Promise<void> {
    return new Promise((r) => this.driver.admin.close(r));
  }
}
