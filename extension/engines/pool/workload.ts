/**
 * Clients that use a pool the way an application does: each runs a request handler a number of
 * rounds, one after another, with a pause between; phases run in order (all clients of a phase,
 * then an idle gap, then the next). Written against the Scheduler, so the same workload runs on
 * the virtual clock and in real time. The recorder measures what a user of the application would:
 * request latency from asking for a connection to the query's answer, waits and errors.
 */
import type { QueryResult, Result } from './driver';
import type { Lease, Pool } from './pool';
import type { Scheduler } from './scheduler';

export interface Percentiles {
  p50: number;
  p99: number;
  max: number;
}

export function percentiles(xs: readonly number[]): Percentiles {
  if (xs.length === 0) return { p50: 0, p99: 0, max: 0 };
  const s = [...xs].sort((a, b) => a - b);
  // Nearest rank: the smallest value with at least p% of the samples at or below it.
  const at = (p: number): number => s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
  return { p50: at(50), p99: at(99), max: s[s.length - 1]! };
}

export class Recorder {
  queries = 0;
  failedQueries = 0;
  acquireTimeouts = 0;
  readonly errorsByCode: Record<string, number> = {};
  readonly latenciesMs: number[] = [];
  readonly acquireWaitsMs: number[] = [];
  /** Leases a handler kept (a leak, on purpose): still out when the workload ends. */
  readonly kept: Lease[] = [];

  error(code: string): void {
    this.errorsByCode[code] = (this.errorsByCode[code] ?? 0) + 1;
  }
}

/** What a request handler gets: the pool, the clock, the recorder and its client's name. */
export interface RequestEnv {
  readonly pool: Pool;
  readonly scheduler: Scheduler;
  readonly rec: Recorder;
  readonly borrower: string;
}

/** One request of an application: borrow, query, (usually) return; calls `done` when finished. */
export type RequestHandler = (env: RequestEnv, done: () => void) => void;

/** Borrows a connection, recording the wait or the acquire failure; `use` runs only on success. */
export function borrow(env: RequestEnv, use: (lease: Lease, startedAt: number) => void, done: () => void): void {
  const t0 = env.scheduler.now();
  env.pool.acquire(env.borrower, (r) => {
    if (!r.ok) {
      if (r.error.code === 'POOL_ACQUIRE_TIMEOUT') env.rec.acquireTimeouts++;
      env.rec.error(r.error.code);
      return done();
    }
    env.rec.acquireWaitsMs.push(env.scheduler.now() - t0);
    use(r.value, t0);
  });
}

/** Runs one query on a lease and records its outcome; latency counts from `startedAt`. */
export function query(env: RequestEnv, lease: Lease, sql: string, startedAt: number, done: (r: Result<QueryResult>) => void): void {
  env.rec.queries++;
  lease.query(sql, (r) => {
    if (r.ok) env.rec.latenciesMs.push(env.scheduler.now() - startedAt);
    else {
      env.rec.failedQueries++;
      env.rec.error(r.error.code);
    }
    done(r);
  });
}

export interface ClientSpec {
  name: string;
  handler: RequestHandler;
  rounds: number;
  /** Pause between rounds. */
  thinkMs: number;
}

export type Phase = { clients: ClientSpec[] } | { idleMs: number };

/** Runs the phases in order; `done` is called when the last client of the last phase finishes. */
export function runPhases(pool: Pool, scheduler: Scheduler, rec: Recorder, phases: readonly Phase[], done: () => void): void {
  let i = 0;
  const next = (): void => {
    const phase = phases[i++];
    if (!phase) return done();
    if ('idleMs' in phase) return void scheduler.after(phase.idleMs, next);
    let running = phase.clients.length;
    if (running === 0) return next();
    for (const c of phase.clients) {
      const env: RequestEnv = { pool, scheduler, rec, borrower: c.name };
      let left = c.rounds;
      const round = (): void =>
        c.handler(env, () => {
          if (--left > 0) scheduler.after(c.thinkMs, round);
          else if (--running === 0) next();
        });
      scheduler.after(0, round);
    }
  };
  next();
}
