/**
 * The connection pool: a fixed set of rules applied to connections from any Driver.
 *
 * - Borrowers queue FIFO. A returned or newly opened connection goes to the head of the queue; a
 *   borrower still queued at its deadline gets ACQUIRE_TIMEOUT.
 * - Idle connections are handed out most recently used first, so surplus ones age and retire.
 * - The pool opens connections for queued borrowers and to keep `minIdle` idle ones, never more
 *   than `maxSize`; failed opens back off (100 ms doubling to 2 s) while borrowers wait.
 * - Housekeeping runs at the next deadline — a borrower's timeout, an idle or lifetime expiry, a
 *   keep-alive ping, a leak threshold — rather than on a periodic sweep, so a simulated run has
 *   no timer noise and a real one reacts on time.
 * - The pool learns that a connection died only by using it (query, validation or keep-alive
 *   ping), like a JDBC pool or a client behind a NAT that drops the server's FIN: that is what
 *   makes a stale connection a failed query.
 *
 * Callbacks to borrowers run after the pool's own bookkeeping (through an outbox), so a borrower
 * that calls back into the pool from its callback always finds it consistent.
 */
import type { ConnectionState, metricsPartSchema } from '../../protocol/pool';
import type { Infer } from '../core/schema';
import { failure, success, type Done, type Driver, type DriverConnection, type DriverError, type QueryResult, type Result } from './driver';
import { checkPoolConfig, type PoolConfig } from './poolConfig';
import { EVICT_REASONS, type EvictReason, type PoolEvent, type PoolEventBody } from './poolEvents';
import type { Scheduler, Timer } from './scheduler';

export type SlotState = ConnectionState;

/** Timer slack: a deadline counts as reached within a nanosecond, whatever the float rounding. */
const EPS = 1e-6;
const BACKOFF_FIRST_MS = 100;
const BACKOFF_MAX_MS = 2000;

interface Borrow {
  at: number;
  borrower: string;
  stack: string;
  leakReported: boolean;
  lease: Lease;
}

interface Slot {
  id: number;
  state: SlotState;
  conn: DriverConnection | undefined;
  threadId: number | undefined;
  createdAt: number;
  /** Last time a borrower returned it (or it opened): idle timeout counts from here. */
  lastUsedAt: number;
  /** Last time any command finished on it: keep-alive counts from here. */
  lastActivityAt: number;
  borrows: number;
  queries: number;
  borrow: Borrow | undefined;
  /** A fatal error was seen while borrowed: close it on return instead of reusing it. */
  broken: boolean;
  /** The borrower this connection is being validated for. */
  validatingFor: Waiter | undefined;
}

interface Waiter {
  id: number;
  borrower: string;
  since: number;
  deadline: number;
  stack: string;
  done: Done<Lease>;
  /** The connection being validated for this borrower, if any. */
  validating: Slot | undefined;
}

/** Gauges and counters since the pool started; every field is described in the protocol's metrics part. */
export type PoolMetrics = Omit<Infer<typeof metricsPartSchema>, 'evictions'> & { evictions: Record<EvictReason, number> };

export interface SlotInfo {
  id: number;
  threadId: number | null;
  state: SlotState;
  createdAt: number;
  lastUsedAt: number;
  borrows: number;
  queries: number;
  borrower: string | null;
  borrowedAt: number | null;
  leaked: boolean;
}

export interface WaiterInfo {
  id: number;
  borrower: string;
  since: number;
  deadline: number;
  /** The connection being validated for this borrower. */
  validating: number | null;
}

export interface PoolInspection {
  now: number;
  slots: SlotInfo[];
  waiters: WaiterInfo[];
  metrics: PoolMetrics;
}

const TERMINAL: DriverError = { code: 'POOL_CLOSED', fatal: true, message: 'The pool was shut down.' };

/** What a borrower holds: one connection, until release(). */
export class Lease {
  private ended: 'returned' | 'revoked' | undefined;
  private busy = false;

  constructor(
    readonly id: number,
    private readonly pool: Pool,
    private readonly slot: Slot,
  ) {}

  get connectionId(): number {
    return this.slot.id;
  }

  get threadId(): number {
    return this.slot.threadId!;
  }

  get active(): boolean {
    return this.ended === undefined;
  }

  query(sql: string, done: Done<QueryResult>): void {
    this.assertActive();
    if (this.busy) throw new Error(`Lease ${this.id}: one query at a time`);
    this.busy = true;
    this.pool.runQuery(this.slot, sql, (r) => {
      this.busy = false;
      if (this.ended === 'returned') this.pool.giveBack(this.slot);
      done(r);
    });
  }

  /** Returns the connection; with a query still running, it goes back when the query ends. */
  release(): void {
    this.assertActive();
    this.ended = 'returned';
    if (!this.busy) this.pool.giveBack(this.slot);
  }

  /** The pool shut down under this lease. */
  revoke(): void {
    this.ended ??= 'revoked';
  }

  private assertActive(): void {
    if (this.ended === 'returned') throw new Error(`Lease ${this.id}: already returned to the pool`);
    if (this.ended === 'revoked') throw new Error(`Lease ${this.id}: the pool was shut down`);
  }
}

export class Pool {
  private config: PoolConfig;
  private readonly slots = new Map<number, Slot>();
  private readonly waiters: Waiter[] = [];
  private nextSlot = 1;
  private nextWaiter = 1;
  private nextLease = 1;
  private timer: Timer | undefined;
  private timerAt = Infinity;
  private outbox: (() => void)[] = [];
  private flushing = false;
  private shut = false;
  private drained: (() => void)[] = [];
  private consecutiveFailures = 0;
  private retryAt = 0;
  private lastConnectError: DriverError | undefined;
  private listeners: ((e: PoolEvent) => void)[] = [];
  private readonly counters: Omit<PoolMetrics, 'active' | 'idle' | 'waiting' | 'connecting' | 'total'> = {
    created: 0, destroyed: 0, connectFailures: 0, acquired: 0, returned: 0, timeouts: 0, queries: 0, failedQueries: 0,
    validations: 0, validationFailures: 0, pings: 0, pingFailures: 0, leaks: 0,
    evictions: Object.fromEntries(EVICT_REASONS.map((r) => [r, 0])) as Record<EvictReason, number>,
    peakActive: 0, peakWaiting: 0,
  };

  constructor(private readonly driver: Driver, private readonly scheduler: Scheduler, config: PoolConfig) {
    this.config = checkPoolConfig({ ...config, initSql: [...config.initSql] });
    // Start on the next tick, so listeners attached right after construction see every event.
    this.scheduler.after(0, () => this.pump());
  }

  get settings(): Readonly<PoolConfig> {
    return this.config;
  }

  get closed(): boolean {
    return this.shut;
  }

  onEvent(l: (e: PoolEvent) => void): () => void {
    this.listeners.push(l);
    return () => { this.listeners = this.listeners.filter((x) => x !== l); };
  }

  /**
   * Asks for a connection. `borrower` names who asks (shown in the view and leak reports). The
   * callback gets a Lease, or POOL_ACQUIRE_TIMEOUT / POOL_CLOSED.
   */
  acquire(borrower: string, done: Done<Lease>): void {
    const now = this.now();
    if (this.shut) return void this.scheduler.after(0, () => done(failure(TERMINAL)));
    let stack = '';
    if (this.config.leakThresholdMs > 0) {
      // Only with leak detection on, as in HikariCP: capturing a stack on every borrow is not free.
      const holder: { stack?: string } = {};
      Error.captureStackTrace(holder, this.acquire);
      const lines = (holder.stack ?? '').split('\n').slice(1).map((l) => l.trim());
      const floor = this.scheduler.stackFloor ? lines.indexOf(this.scheduler.stackFloor) : -1;
      stack = (floor >= 0 ? lines.slice(0, floor) : lines).join('\n');
    }
    const w: Waiter = { id: this.nextWaiter++, borrower, since: now, deadline: now + this.config.acquireTimeoutMs, stack, done, validating: undefined };
    this.waiters.push(w);
    this.pump();
    if (this.waiters.includes(w) && !w.validating) {
      this.emit({ type: 'wait', waiter: w.id, borrower, position: this.waiters.indexOf(w) + 1 });
      this.counters.peakWaiting = Math.max(this.counters.peakWaiting, this.waiters.length);
    }
  }

  /** Applies new settings to the running pool: it opens, closes and re-times connections to fit. */
  reconfigure(config: PoolConfig): void {
    this.config = checkPoolConfig({ ...config, initSql: [...config.initSql] });
    this.pump();
  }

  /**
   * Rejects every waiter, revokes every lease and closes every connection; `done` runs once the
   * last one is closed.
   */
  shutdown(done: () => void): void {
    this.shut = true;
    this.drained.push(done);
    this.timer?.cancel();
    this.timer = undefined;
    this.timerAt = Infinity;
    for (const w of this.waiters.splice(0)) this.outbox.push(() => w.done(failure(TERMINAL)));
    for (const s of this.slots.values()) {
      s.borrow?.lease.revoke();
      if (s.state === 'in-use') this.close(s, 'pool-closed');
    }
    // Connecting, validating and pinging connections close when their operation ends (see pump).
    this.pump();
  }

  metrics(): PoolMetrics {
    let active = 0, idle = 0, connecting = 0, total = 0;
    for (const s of this.slots.values()) {
      if (s.state !== 'closing') total++;
      if (s.state === 'idle' || s.state === 'pinging') idle++;
      else if (s.state === 'in-use') active++;
      else if (s.state === 'connecting') connecting++;
    }
    return { ...this.counters, evictions: { ...this.counters.evictions }, active, idle, waiting: this.waiters.length, connecting, total };
  }

  inspect(): PoolInspection {
    return {
      now: this.now(),
      slots: [...this.slots.values()].map((s) => ({
        id: s.id, threadId: s.threadId ?? null, state: s.state, createdAt: s.createdAt, lastUsedAt: s.lastUsedAt,
        borrows: s.borrows, queries: s.queries, borrower: s.borrow?.borrower ?? null, borrowedAt: s.borrow?.at ?? null,
        leaked: s.borrow?.leakReported ?? false,
      })),
      waiters: this.waiters.map((w) => ({ id: w.id, borrower: w.borrower, since: w.since, deadline: w.deadline, validating: w.validating?.id ?? null })),
      metrics: this.metrics(),
    };
  }

  // ── used by Lease ────────────────────────────────────────────────────────────────

  runQuery(slot: Slot, sql: string, done: Done<QueryResult>): void {
    this.counters.queries++;
    slot.queries++;
    if (!slot.conn || this.shut) return void this.scheduler.after(0, () => done(failure(TERMINAL)));
    slot.conn.query(sql, (r) => {
      slot.lastActivityAt = this.now();
      if (!r.ok) {
        this.counters.failedQueries++;
        if (r.error.fatal) slot.broken = true;
        this.emit({ type: 'query-failed', conn: slot.id, code: r.error.code, message: r.error.message });
      }
      this.outbox.push(() => done(r));
      this.pump();
    });
  }

  giveBack(slot: Slot): void {
    const b = slot.borrow;
    if (!b || slot.state !== 'in-use') return;
    const now = this.now();
    slot.borrow = undefined;
    slot.lastUsedAt = now;
    this.counters.returned++;
    this.emit({ type: 'return', conn: slot.id, heldMs: now - b.at, queries: slot.queries });
    if (this.shut) this.close(slot, 'pool-closed');
    else if (slot.broken) this.close(slot, 'broken');
    else if (this.expired(slot, now)) this.close(slot, 'max-lifetime');
    else if (this.config.maxUses > 0 && slot.borrows >= this.config.maxUses) this.close(slot, 'max-uses');
    else if (this.liveCount() > this.config.maxSize) this.close(slot, 'shrink');
    else slot.state = 'idle';
    this.pump();
  }

  // ── the rules ───────────────────────────────────────────────────────────────────

  /** Re-applies every rule after any change, then delivers callbacks and re-arms the timer. */
  private pump(): void {
    if (this.shut) {
      for (const s of this.slots.values()) if (s.state === 'idle') this.close(s, 'pool-closed');
      if (this.slots.size === 0) for (const d of this.drained.splice(0)) this.outbox.push(d);
    } else {
      this.housekeep();
      this.serveWaiters();
      this.keepAlive();
      this.trimIdle();
      this.grow();
      this.arm();
    }
    this.flush();
  }

  private serveWaiters(): void {
    for (;;) {
      const w = this.waiters.find((x) => !x.validating);
      if (!w) return;
      const slot = this.takeIdle();
      if (!slot) return;
      if (this.config.validateOnBorrow) this.validate(slot, w);
      else this.hand(slot, w);
    }
  }

  /** The most recently used idle connection. */
  private takeIdle(): Slot | undefined {
    let best: Slot | undefined;
    for (const s of this.slots.values()) if (s.state === 'idle' && (!best || s.lastUsedAt >= best.lastUsedAt)) best = s;
    return best;
  }

  private hand(slot: Slot, w: Waiter): void {
    const now = this.now();
    this.waiters.splice(this.waiters.indexOf(w), 1);
    w.validating = undefined;
    const lease = new Lease(this.nextLease++, this, slot);
    slot.state = 'in-use';
    slot.borrows++;
    slot.borrow = { at: now, borrower: w.borrower, stack: w.stack, leakReported: false, lease };
    this.counters.acquired++;
    this.emit({ type: 'borrow', conn: slot.id, waiter: w.id, borrower: w.borrower, waitedMs: now - w.since });
    this.counters.peakActive = Math.max(this.counters.peakActive, this.count('in-use'));
    this.outbox.push(() => w.done(success(lease)));
  }

  private validate(slot: Slot, w: Waiter): void {
    slot.state = 'validating';
    slot.validatingFor = w;
    w.validating = slot;
    this.counters.validations++;
    this.emit({ type: 'validate', conn: slot.id });
    slot.conn!.ping((r) => this.validated(slot, r));
  }

  /**
   * A validation ended. A live connection goes to the oldest borrower still waiting — not
   * necessarily the one it was validated for, whose turn may not have come: validations can end
   * out of order, and the queue stays first come, first served. The older borrower's own
   * validation then serves the younger one.
   */
  private validated(slot: Slot, r: Result<void>): void {
    slot.lastActivityAt = this.now();
    const w = slot.validatingFor;
    slot.validatingFor = undefined;
    if (w?.validating === slot) w.validating = undefined;
    const head = this.waiters[0];
    if (!r.ok) {
      this.counters.validationFailures++;
      this.emit({ type: 'validate-failed', conn: slot.id, code: r.error.code });
      this.close(slot, 'validation-failed');
    } else if (w && head && this.waiters.includes(w)) {
      if (head !== w && head.validating) {
        const other = head.validating;
        other.validatingFor = w;
        w.validating = other;
        head.validating = undefined;
      }
      this.hand(slot, head);
    } else {
      slot.state = 'idle';
    }
    this.pump();
  }

  /** Timeouts, leaks and retirements that are due now. */
  private housekeep(): void {
    const now = this.now();
    const c = this.config;
    if (this.waiters.some((w) => w.deadline <= now + EPS)) {
      for (const w of this.waiters.filter((x) => x.deadline <= now + EPS)) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.validating = undefined;
        this.counters.timeouts++;
        this.emit({ type: 'timeout', waiter: w.id, borrower: w.borrower, waitedMs: now - w.since });
        this.outbox.push(() => w.done(failure(this.timeoutError(now - w.since))));
      }
    }
    for (const s of this.slots.values()) {
      const b = s.borrow;
      if (s.state === 'in-use' && b && c.leakThresholdMs > 0 && !b.leakReported && b.at + c.leakThresholdMs <= now + EPS) {
        b.leakReported = true;
        this.counters.leaks++;
        this.emit({ type: 'leak', conn: s.id, borrower: b.borrower, heldMs: now - b.at, stack: b.stack });
      }
    }
    if (c.maxLifetimeMs <= 0 && c.idleTimeoutMs <= 0) return;
    // Oldest first, so the connections that retire are the ones least likely to be needed.
    const idle = this.idleOldestFirst();
    let idleCount = idle.length;
    for (const s of idle) {
      if (this.expired(s, now)) { this.close(s, 'max-lifetime'); idleCount--; continue; }
      if (c.idleTimeoutMs > 0 && idleCount > c.minIdle && s.lastUsedAt + c.idleTimeoutMs <= now + EPS) { this.close(s, 'idle-timeout'); idleCount--; }
    }
  }

  /** Pings idle connections quiet for keepaliveMs; runs after waiters are served, who need no ping. */
  private keepAlive(): void {
    const k = this.config.keepaliveMs;
    if (k <= 0) return;
    const now = this.now();
    for (const s of this.slots.values()) if (s.state === 'idle' && s.lastActivityAt + k <= now + EPS) this.ping(s);
  }

  private ping(slot: Slot): void {
    slot.state = 'pinging';
    this.counters.pings++;
    this.emit({ type: 'ping', conn: slot.id });
    slot.conn!.ping((r) => {
      slot.lastActivityAt = this.now();
      if (r.ok) slot.state = 'idle';
      else {
        this.counters.pingFailures++;
        this.emit({ type: 'ping-failed', conn: slot.id, code: r.error.code });
        this.close(slot, 'ping-failed');
      }
      this.pump();
    });
  }

  /** Closes idle connections above maxIdle (least recently used first), unless someone waits. */
  private trimIdle(): void {
    if (this.waiters.some((w) => !w.validating)) return;
    let excess = Math.max(this.count('idle') - this.config.maxIdle, this.liveCount() - this.config.maxSize);
    if (excess <= 0) return;
    for (const s of this.idleOldestFirst()) {
      if (excess-- <= 0) break;
      this.close(s, this.liveCount() > this.config.maxSize ? 'shrink' : 'max-idle');
    }
  }

  /** Opens connections for queued borrowers and up to minIdle idle ones, within maxSize. */
  private grow(): void {
    if (this.now() + EPS < this.retryAt) return;
    let idle = 0, connecting = 0;
    for (const s of this.slots.values()) {
      if (s.state === 'idle' || s.state === 'pinging') idle++;
      else if (s.state === 'connecting') connecting++;
    }
    let queued = 0;
    for (const w of this.waiters) if (!w.validating) queued++;
    const want = Math.max(queued - connecting, this.config.minIdle - idle - connecting);
    const room = this.config.maxSize - this.liveCount();
    for (let i = 0; i < Math.min(want, room); i++) this.open();
  }

  private open(): void {
    const now = this.now();
    const slot: Slot = {
      id: this.nextSlot++, state: 'connecting', conn: undefined, threadId: undefined, createdAt: now, lastUsedAt: now,
      lastActivityAt: now, borrows: 0, queries: 0, borrow: undefined, broken: false, validatingFor: undefined,
    };
    this.slots.set(slot.id, slot);
    this.emit({ type: 'connecting', conn: slot.id });
    this.driver.connect({ initSql: this.config.initSql }, (r) => this.opened(slot, r));
  }

  private opened(slot: Slot, r: Result<DriverConnection>): void {
    const now = this.now();
    if (!r.ok) {
      this.slots.delete(slot.id);
      this.counters.connectFailures++;
      this.lastConnectError = r.error;
      this.retryAt = now + Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** this.consecutiveFailures++);
      this.emit({ type: 'connect-failed', conn: slot.id, code: r.error.code, message: r.error.message });
      return this.pump();
    }
    this.consecutiveFailures = 0;
    this.retryAt = 0;
    this.lastConnectError = undefined;
    slot.conn = r.value;
    slot.threadId = r.value.threadId;
    slot.lastUsedAt = slot.lastActivityAt = now;
    this.counters.created++;
    this.emit({ type: 'connected', conn: slot.id, threadId: r.value.threadId, ms: now - slot.createdAt });
    slot.state = 'idle';
    this.pump();
  }

  private close(slot: Slot, reason: EvictReason): void {
    slot.state = 'closing';
    this.counters.evictions[reason]++;
    this.emit({ type: 'evict', conn: slot.id, reason });
    const conn = slot.conn!;
    conn.end(() => {
      this.slots.delete(slot.id);
      this.counters.destroyed++;
      this.emit({ type: 'closed', conn: slot.id });
      this.pump();
    });
  }

  // ── timing ──────────────────────────────────────────────────────────────────────

  private expired(s: Slot, now: number): boolean {
    return this.config.maxLifetimeMs > 0 && s.createdAt + this.config.maxLifetimeMs <= now + EPS;
  }

  /** The earliest moment a rule could fire, or Infinity. */
  private nextDeadline(): number {
    const c = this.config;
    let d = Infinity;
    for (const w of this.waiters) d = Math.min(d, w.deadline);
    let idleCount = 0;
    for (const s of this.slots.values()) if (s.state === 'idle') idleCount++;
    for (const s of this.slots.values()) {
      if (s.state === 'in-use' && s.borrow && c.leakThresholdMs > 0 && !s.borrow.leakReported) d = Math.min(d, s.borrow.at + c.leakThresholdMs);
      if (s.state !== 'idle') continue;
      if (c.maxLifetimeMs > 0) d = Math.min(d, s.createdAt + c.maxLifetimeMs);
      if (c.idleTimeoutMs > 0 && idleCount > c.minIdle) d = Math.min(d, s.lastUsedAt + c.idleTimeoutMs);
      if (c.keepaliveMs > 0) d = Math.min(d, s.lastActivityAt + c.keepaliveMs);
    }
    if (this.retryAt > this.now()) d = Math.min(d, this.retryAt);
    return d;
  }

  private arm(): void {
    const d = this.nextDeadline();
    if (d === this.timerAt) return;
    this.timer?.cancel();
    this.timer = undefined;
    this.timerAt = d;
    if (d === Infinity) return;
    this.timer = this.scheduler.after(Math.max(0, d - this.now()), () => {
      this.timer = undefined;
      this.timerAt = Infinity;
      this.pump();
    });
  }

  // ── helpers ─────────────────────────────────────────────────────────────────────

  private now(): number {
    return this.scheduler.now();
  }

  private count(state: SlotState): number {
    let n = 0;
    for (const s of this.slots.values()) if (s.state === state) n++;
    return n;
  }

  private idleOldestFirst(): Slot[] {
    return [...this.slots.values()].filter((s) => s.state === 'idle').sort((a, b) => a.lastUsedAt - b.lastUsedAt);
  }

  private liveCount(): number {
    let n = 0;
    for (const s of this.slots.values()) if (s.state !== 'closing') n++;
    return n;
  }

  private timeoutError(waitedMs: number): DriverError {
    const m = this.metrics();
    const cause = this.lastConnectError ? ` The last attempt to open a connection failed: ${this.lastConnectError.message} (${this.lastConnectError.code}).` : '';
    return {
      code: 'POOL_ACQUIRE_TIMEOUT',
      fatal: false,
      message: `No connection within ${Math.round(waitedMs)} ms (acquireTimeoutMs): ${m.active} of max ${this.config.maxSize} in use, ${m.waiting} waiting.${cause}`,
    };
  }

  private emit(body: PoolEventBody): void {
    const e = { t: this.now(), ...body } as PoolEvent;
    for (const l of this.listeners) l(e);
  }

  private flush(): void {
    if (this.flushing) return;
    this.flushing = true;
    try {
      for (let f = this.outbox.shift(); f; f = this.outbox.shift()) f();
    } finally {
      this.flushing = false;
    }
  }
}
