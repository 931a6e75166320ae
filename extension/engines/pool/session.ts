/**
 * One live pool on one runtime, as the inspector drives it: the pool, the leases the user holds,
 * a window of the pool's events, leak reports, preset results and the server's own view. Every
 * operation reports through a callback (`Outcome`), so the embedded model can run it to the end
 * synchronously on the virtual clock and the MySQL model can await it in real time. `picture()`
 * renders everything as the protocol's view parts.
 */
import {
  POOL_LIMITS, type PoolEventItem, type PoolPicture, type PresetName, type PresetResult, type ProcessRow, type ServerVariables,
} from '../../protocol/pool';
import { describeError, type DriverError, type Result } from './driver';
import { describeTarget, type MysqlSettings } from './mysqlSettings';
import { Pool, type Lease } from './pool';
import type { PoolConfig } from './poolConfig';
import type { PoolEvent } from './poolEvents';
import { PRESETS, startPreset } from './presets';
import type { Runtime } from './runtime';
import type { Timer } from './scheduler';
import type { SimServer, SimServerSettings } from './simServer';

/** What an operation did (its timeline label), or why it could not be done (nothing changed). */
export type Outcome = { label: string } | { error: string };
type Reply = (o: Outcome) => void;

const fmtMs = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 1 ? x.toFixed(1) : x.toFixed(2));

function describeEvent(e: PoolEvent): string {
  switch (e.type) {
    case 'connected': return `thread ${e.threadId}, ${fmtMs(e.ms)} ms`;
    case 'connect-failed': return `${e.code}: ${e.message}`;
    case 'wait': return `${e.borrower}, position ${e.position}`;
    case 'borrow': return `${e.borrower}, waited ${fmtMs(e.waitedMs)} ms`;
    case 'timeout': return `${e.borrower} gave up after ${fmtMs(e.waitedMs)} ms`;
    case 'return': return `held ${fmtMs(e.heldMs)} ms`;
    case 'validate-failed': case 'ping-failed': return e.code;
    case 'query-failed': return `${e.code}: ${e.message}`;
    case 'leak': return `${e.borrower}, out for ${fmtMs(e.heldMs)} ms`;
    case 'evict': return e.reason;
    default: return '';
  }
}

export class PoolSession {
  private pool: Pool;
  private config: PoolConfig;
  private readonly leases = new Map<number, { lease: Lease; borrower: string }>();
  private nextLease = 1;
  private events: PoolEventItem[] = [];
  private eventTotal = 0;
  private leaks: PoolPicture['leaks'] = [];
  private readonly results: PoolPicture['results'] = { last: null, byPreset: {} };
  private server: { variables: ServerVariables | null; processes: ProcessRow[]; asOf: number; error: string | null } = { variables: null, processes: [], asOf: 0, error: null };
  private detach: () => void = () => {};
  private listeners: ((e: PoolEvent | undefined) => void)[] = [];
  private pollTimer: NodeJS.Timeout | undefined;

  /**
   * `sim` is the embedded server (its view is read directly, always current); without it the
   * server's view is read through the driver's admin side, now and every `pollMs`.
   */
  constructor(
    readonly rt: Runtime,
    config: PoolConfig,
    private readonly sim: SimServer | undefined,
    private readonly mysql: MysqlSettings | undefined,
    pollMs = 0,
  ) {
    this.config = config;
    this.pool = this.adopt(new Pool(rt.driver, rt.scheduler, config));
    if (pollMs > 0) {
      this.refresh(() => {});
      this.pollTimer = setInterval(() => this.refresh(() => {}), pollMs);
      this.pollTimer.unref();
    }
  }

  /** True when no connection is being opened: the pool has settled after a change. */
  quiet(): boolean {
    return this.pool.metrics().connecting === 0;
  }

  /** Listens to every pool event, and to server view updates (called with undefined). */
  onChange(l: (e: PoolEvent | undefined) => void): () => void {
    this.listeners.push(l);
    return () => { this.listeners = this.listeners.filter((x) => x !== l); };
  }

  // ── operations ──────────────────────────────────────────────────────────────────

  borrow(waitMs: number, reply: Reply): void {
    let answered = false;
    const finish = (o: Outcome): void => {
      if (answered) return;
      answered = true;
      timer?.cancel();
      reply(o);
    };
    let timer: Timer | undefined;
    const pool = this.ensurePool();
    // Borrow from a timer, as application code does, so a leak report's stack ends at the clock.
    this.rt.scheduler.after(0, () =>
      pool.acquire('you', (r) => {
        if (r.ok) {
          const n = this.nextLease++;
          this.leases.set(n, { lease: r.value, borrower: 'you' });
          finish({ label: `borrow → connection ${r.value.connectionId} (lease ${n})` });
        } else {
          finish({ label: `borrow failed: ${describeError(r.error)}` });
        }
      }),
    );
    timer = this.rt.scheduler.after(waitMs, () => finish({ label: `borrow: still waiting after ${waitMs} ms (queued)` }));
  }

  release(n: number, reply: Reply): void {
    const held = this.leases.get(n);
    if (!held) return reply({ error: this.noLease(n) });
    this.leases.delete(n);
    held.lease.release();
    // Let the pool finish what the return set off (a hand-over, a close) before reporting.
    this.rt.scheduler.after(0, () => reply({ label: `return lease ${n} (connection ${held.lease.connectionId})` }));
  }

  query(n: number, sql: string, reply: Reply): void {
    const held = this.leases.get(n);
    if (!held) return reply({ error: this.noLease(n) });
    const t0 = this.rt.scheduler.now();
    try {
      held.lease.query(sql, (r) => {
        const took = fmtMs(this.rt.scheduler.now() - t0);
        reply({ label: r.ok ? `query on lease ${n}: ${r.value.rows.length} rows in ${took} ms` : `query on lease ${n} failed in ${took} ms: ${describeError(r.error)}` });
      });
    } catch (e) {
      reply({ error: `Cannot query on lease ${n}: ${(e as Error).message}. Wait for its running query to finish.` });
    }
  }

  wait(ms: number, reply: Reply): void {
    this.rt.scheduler.after(ms, () => reply({ label: `wait ${fmtMs(ms)} ms` }));
  }

  configure(config: PoolConfig, reply: Reply): void {
    this.ensurePool().reconfigure(config);
    this.config = this.pool.settings as PoolConfig;
    this.rt.scheduler.after(0, () => reply({ label: 'new pool settings' }));
  }

  configureServer(settings: SimServerSettings, reply: Reply): void {
    if (!this.sim) return reply({ error: "The embedded server's settings do not apply to a real server. Use setWaitTimeout, or change the server's own configuration." });
    Object.assign(this.sim.settings, settings);
    reply({ label: 'new embedded server settings' });
  }

  setWaitTimeout(seconds: number, scope: 'global' | 'session', reply: Reply): void {
    if (scope === 'session') {
      const initSql = [...this.config.initSql.filter((s) => !/wait_timeout/i.test(s)), `SET SESSION wait_timeout = ${seconds}`];
      this.configure({ ...this.config, initSql }, () => reply({ label: `new connections run SET SESSION wait_timeout = ${seconds}` }));
      return;
    }
    this.rt.driver.admin.setGlobalWaitTimeout(seconds, (r) => {
      if (!r.ok)
        return reply({
          error: `The server refused SET GLOBAL wait_timeout = ${seconds}: ${describeError(r.error)}. It needs the SUPER privilege; use the session scope instead, which changes only the pool's own new connections.`,
        });
      this.refresh(() => reply({ label: `SET GLOBAL wait_timeout = ${seconds} (connections opened from now on)` }));
    });
  }

  kill(threadId: number, reply: Reply): void {
    this.rt.driver.admin.kill(threadId, (r) => {
      if (!r.ok) return reply({ error: `The server could not KILL ${threadId}: ${describeError(r.error)}.` });
      const cell = this.pool.inspect().slots.find((s) => s.threadId === threadId);
      this.refresh(() => reply({ label: `KILL ${threadId}${cell ? ` (connection ${cell.id})` : ''}` }));
    });
  }

  /** Reads the server's process list and variables (the embedded server's are always current). */
  refresh(reply: () => void): void {
    if (this.sim) return reply();
    // The list is as of when the read began: a connection opened later cannot be in it.
    const startedAt = this.rt.scheduler.now();
    let pending = 2;
    let error: string | null = null;
    const done = (): void => {
      if (--pending > 0) return;
      this.server.asOf = startedAt;
      this.server.error = error;
      this.notify(undefined);
      reply();
    };
    const fail = (what: string, e: DriverError): void => { error = `Could not read the server's ${what}: ${describeError(e)}.`; };
    this.rt.driver.admin.processList((r: Result<ProcessRow[]>) => {
      if (r.ok) this.server.processes = r.value.slice(0, POOL_LIMITS.maxProcesses);
      else fail('process list', r.error);
      done();
    });
    this.rt.driver.admin.variables((r) => {
      if (r.ok) this.server.variables = r.value;
      else fail('variables', r.error);
      done();
    });
  }

  /** Replaces the pool with the preset's and runs its workload; leases it leaked become yours. */
  runPreset(name: PresetName, queries: number | undefined, reply: Reply): void {
    this.replacePool(() => {
      const run = startPreset(name, this.rt, queries === undefined ? {} : { queries });
      this.config = run.pool.settings as PoolConfig;
      this.pool = this.adopt(run.pool);
      run.onFinished((r: PresetResult) => {
        this.results.last = r;
        this.results.byPreset[name] = r;
        for (const lease of run.recorder.kept) if (lease.active) this.leases.set(this.nextLease++, { lease, borrower: PRESETS[name].title });
        this.refresh(() => reply({ label: `${PRESETS[name].title}: ${r.verdict}` }));
      });
    });
  }

  /** Interrupts a query the hard way a client must: KILL its connection on the server. */
  killLeaseConnection(n: number): void {
    const held = this.leases.get(n);
    if (held) this.rt.driver.admin.kill(held.lease.threadId, () => {});
  }

  /**
   * Stops whatever runs on the pool: shuts it down, so waiters and borrowers fail at once and a
   * running preset ends at its next idle gap. A fresh pool with the same settings takes its place
   * on the next operation that needs one.
   */
  abort(): void {
    this.leases.clear();
    this.pool.shutdown(() => {});
  }

  /** Shuts the pool down (every connection closed on the server); the runtime stays open. */
  close(done: () => void): void {
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pollTimer = undefined;
    this.leases.clear();
    this.pool.shutdown(() => {
      this.detach();
      done();
    });
  }

  // ── view ────────────────────────────────────────────────────────────────────────

  picture(): PoolPicture {
    const now = this.rt.scheduler.now();
    const inspection = this.pool.inspect();
    const processes = this.sim ? this.sim.processList() : this.server.processes;
    const variables = this.sim ? this.sim.variables() : this.server.variables;
    const known = this.sim !== undefined || (this.server.asOf > 0 && this.server.error === null);
    const threads = new Set(processes.map((p) => p.id));
    const byThread = new Map(inspection.slots.filter((s) => s.threadId !== null).map((s) => [s.threadId!, s.id]));
    const leaseOf = new Map([...this.leases].map(([n, h]) => [h.lease.connectionId, { n, borrower: h.borrower }]));
    return {
      config: {
        driver: this.rt.mode,
        target: this.mysql ? describeTarget(this.mysql) : this.rt.driver.target,
        clock: this.sim ? 'virtual' : 'real',
        pool: { ...this.config, initSql: [...this.config.initSql] },
        embedded: this.sim ? { ...this.sim.settings } : null,
        mysql: this.mysql ? { ...this.mysql } : null,
      },
      connections: {
        now,
        maxSize: this.config.maxSize,
        minIdle: this.config.minIdle,
        cells: inspection.slots.map((s) => ({
          id: s.id,
          threadId: s.threadId,
          state: s.state,
          ageMs: now - s.createdAt,
          idleMs: s.state === 'idle' || s.state === 'pinging' ? now - s.lastUsedAt : null,
          borrows: s.borrows,
          queries: s.queries,
          borrower: s.borrower === 'you' ? `you (lease ${leaseOf.get(s.id)?.n ?? '?'})` : s.borrower,
          heldMs: s.borrowedAt === null ? null : now - s.borrowedAt,
          leaked: s.leaked,
          onServer: s.threadId === null || !known || (!this.sim && s.createdAt >= this.server.asOf) ? null : threads.has(s.threadId),
        })),
      },
      waiters: {
        queue: inspection.waiters.map((w) => ({ id: w.id, borrower: w.borrower, waitedMs: now - w.since, timesOutInMs: w.deadline - now, validating: w.validating })),
        peak: inspection.metrics.peakWaiting,
      },
      events: { items: [...this.events], total: this.eventTotal },
      metrics: inspection.metrics,
      leaks: [...this.leaks],
      server: {
        driver: this.rt.mode,
        variables: variables ? { ...variables } : null,
        processes: processes.map((row) => ({ row: { ...row }, conn: byThread.get(row.id) ?? null })),
        asOf: this.sim ? now : this.server.asOf,
        error: this.sim ? null : this.server.error,
      },
      leases: [...this.leases].map(([n, h]) => ({
        lease: n,
        conn: h.lease.connectionId,
        threadId: h.lease.threadId ?? null,
        borrower: h.borrower,
        heldMs: now - (inspection.slots.find((s) => s.id === h.lease.connectionId)?.borrowedAt ?? now),
      })),
      results: { last: this.results.last, byPreset: { ...this.results.byPreset } },
    };
  }

  // ── internals ───────────────────────────────────────────────────────────────────

  /**
   * Makes `pool` the one shown. Its events and leak reports start afresh: connection numbers
   * restart at 1 in every pool, so lanes and reports from the last one would name other connections.
   */
  private adopt(pool: Pool): Pool {
    this.detach();
    this.events = [];
    this.eventTotal = 0;
    this.leaks = [];
    this.detach = pool.onEvent((e) => this.record(e));
    return pool;
  }

  /** The pool, or a fresh one with the same settings if an abort shut it down. */
  private ensurePool(): Pool {
    if (this.pool.closed) this.pool = this.adopt(new Pool(this.rt.driver, this.rt.scheduler, this.config));
    return this.pool;
  }

  private replacePool(then: () => void): void {
    this.leases.clear();
    this.pool.shutdown(then);
  }

  private record(e: PoolEvent): void {
    const item: PoolEventItem = {
      seq: ++this.eventTotal,
      t: e.t,
      type: e.type,
      conn: 'conn' in e ? e.conn : null,
      waiter: 'waiter' in e ? e.waiter : null,
      detail: describeEvent(e).slice(0, 500),
    };
    this.events.push(item);
    if (this.events.length > POOL_LIMITS.eventWindow) this.events.splice(0, this.events.length - POOL_LIMITS.eventWindow);
    if (e.type === 'leak') {
      this.leaks.push({ conn: e.conn, borrower: e.borrower, at: e.t, heldMs: e.heldMs, stack: e.stack.slice(0, 20_000) });
      if (this.leaks.length > POOL_LIMITS.leakWindow) this.leaks.shift();
    }
    this.notify(e);
  }

  private notify(e: PoolEvent | undefined): void {
    for (const l of this.listeners) l(e);
  }

  private noLease(n: number): string {
    const held = [...this.leases.keys()];
    return `You hold no lease ${n}${held.length ? ` (you hold ${held.join(', ')})` : ''}. Borrow a connection first, or pick one of your leases.`;
  }
}
