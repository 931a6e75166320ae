/**
 * The one-click experiments. Each is a pool configuration plus a workload, the same on both
 * drivers: on the embedded server it runs on the virtual clock in milliseconds of real time, on
 * a real server in real time — which is why the timeouts are short (wait_timeout 2 s, set per
 * session through initSql so other clients of a real server are not affected).
 */
import type { PresetName, PresetResult } from '../../protocol/pool';
import { Pool } from './pool';
import { defaultPoolConfig, type PoolConfig } from './poolConfig';
import type { Runtime } from './runtime';
import { Recorder, borrow, percentiles, query, runPhases, type Phase, type RequestEnv } from './workload';


const ms = (x: number): string => (x >= 10 ? x.toFixed(0) : x.toFixed(2));
const codes = (r: PresetResult): string => Object.entries(r.errorsByCode).map(([c, n]) => `${n}× ${c}`).join(', ') || 'none';
const WAIT_TIMEOUT_S = 2;
const stalePool: PoolConfig = {
  ...defaultPoolConfig, minIdle: 4, maxIdle: 4, maxSize: 4, idleTimeoutMs: 0, maxLifetimeMs: 0,
  initSql: [`SET SESSION wait_timeout = ${WAIT_TIMEOUT_S}`],
};

/** Everyday request: borrow, SELECT 1, return. */
function checkout(env: RequestEnv, done: () => void): void {
  borrow(env, (lease, t0) => query(env, lease, 'SELECT 1', t0, () => { lease.release(); done(); }), done);
}

/** A report that keeps its connection busy for 400 ms. */
function slowReport(env: RequestEnv, done: () => void): void {
  borrow(env, (lease, t0) => query(env, lease, 'SELECT SLEEP(0.4)', t0, () => { lease.release(); done(); }), done);
}

/** Returns early on its happy path and never gives the connection back: the leak. */
function exportMonthlyReport(env: RequestEnv, done: () => void): void {
  borrow(env, (lease, t0) => query(env, lease, 'SELECT 1', t0, () => { env.rec.kept.push(lease); done(); }), done);
}

/** The innermost frame of a borrowing stack outside the workload runner — the handler's — without its directory. */
function handlerFrame(stack: string): string {
  const frame = stack.split('\n').find((l) => l.trim() && !/workload\.[jt]s:/.test(l)) ?? 'an unknown place';
  return frame.trim().replace(/^at /, '').replace(/^Object\./, '').replace(/\((?:.*[/\\])?([^/\\]+:\d+:\d+)\)$/, '($1)');
}

interface PresetSpec {
  title: string;
  /** What the preset demonstrates, for the view and `dsi pool --help`. */
  shows: string;
  pool: PoolConfig;
  phases(queries: number): Phase[];
  verdict(r: PresetResult, pool: PoolConfig): string;
}

const CLIENTS = 4;
const burst = (rounds: number, handler = checkout, prefix = 'client'): Phase => ({
  clients: Array.from({ length: CLIENTS }, (_, i) => ({ name: `${prefix} ${i + 1}`, handler, rounds, thinkMs: 0 })),
});
const staleWorkload = (): Phase[] => [burst(1), { idleMs: (WAIT_TIMEOUT_S + 1) * 1000 }, burst(3)];

export const PRESETS: Record<PresetName, PresetSpec> = {
  'per-query': {
    title: 'Connect per query',
    shows: 'every request opens a connection, runs SELECT 1 and closes it (maxUses 1): the connection setup is paid on every query',
    pool: { ...defaultPoolConfig, minIdle: 0, maxIdle: 0, maxUses: 1, maxSize: CLIENTS, acquireTimeoutMs: 10_000, idleTimeoutMs: 0, maxLifetimeMs: 0 },
    phases: (q) => [burst(Math.max(1, Math.ceil(q / CLIENTS)))],
    verdict: (r) => `${ms(r.throughputQps)} queries/s, p50 ${ms(r.latencyMs.p50)} ms: every query paid for a new connection (${r.connectionsCreated} opened).`,
  },
  pooled: {
    title: 'Pooled',
    shows: 'the same requests through a pool of 4 kept-open connections: the setup is paid 4 times in all',
    pool: { ...defaultPoolConfig, minIdle: CLIENTS, maxIdle: CLIENTS, maxSize: CLIENTS, acquireTimeoutMs: 10_000, idleTimeoutMs: 0, maxLifetimeMs: 0 },
    phases: (q) => [burst(Math.max(1, Math.ceil(q / CLIENTS)))],
    verdict: (r) => `${ms(r.throughputQps)} queries/s, p50 ${ms(r.latencyMs.p50)} ms: ${r.connectionsCreated} connections served ${r.queries} queries.`,
  },
  stale: {
    title: 'Stale connections',
    shows: `the server closes connections idle past wait_timeout (${WAIT_TIMEOUT_S} s); with no keep-alive and no validation the pool hands them out and the first queries fail`,
    pool: stalePool,
    phases: staleWorkload,
    verdict: (r) =>
      r.failedQueries > 0
        ? `${r.failedQueries} of ${r.queries} queries failed (${codes(r)}): the pool handed out connections the server had closed after wait_timeout.`
        : `No query failed, although the connections sat idle past wait_timeout: the server did not close them.`,
  },
  'stale-keepalive': {
    title: 'Stale, with keep-alive',
    shows: 'the same idle gap with a keep-alive ping every second: each ping resets the server\'s idle clock, so no connection goes stale',
    pool: { ...stalePool, keepaliveMs: 1000 },
    phases: staleWorkload,
    verdict: (r) => `${r.failedQueries} of ${r.queries} queries failed; ${r.keepalivePings} keep-alive pings kept every connection younger than wait_timeout.`,
  },
  'stale-validate': {
    title: 'Stale, with validation',
    shows: 'the same idle gap with validation on borrow: dead connections are caught by a ping and replaced before a query can fail',
    pool: { ...stalePool, validateOnBorrow: true },
    phases: staleWorkload,
    verdict: (r) => `${r.failedQueries} of ${r.queries} queries failed; validation caught ${r.validationFailures} dead connections before handing them out.`,
  },
  exhaustion: {
    title: 'Pool exhaustion',
    shows: '6 requests each hold a connection for 400 ms against maxSize 2 and a 500 ms acquire timeout: borrowers queue, and the last ones give up',
    pool: { ...defaultPoolConfig, minIdle: 0, maxIdle: 2, maxSize: 2, acquireTimeoutMs: 500, idleTimeoutMs: 0, maxLifetimeMs: 0 },
    phases: () => [{ clients: Array.from({ length: 6 }, (_, i) => ({ name: `report ${i + 1}`, handler: slowReport, rounds: 1, thinkMs: 0 })) }],
    verdict: (r, p) => `${r.peakWaiting} borrowers queued behind maxSize ${p.maxSize}; ${r.acquireTimeouts} gave up after ${p.acquireTimeoutMs} ms (POOL_ACQUIRE_TIMEOUT).`,
  },
  leak: {
    title: 'Leaked connection',
    shows: 'one request never returns its connection; after leakThresholdMs (1 s) the pool reports it with the stack that borrowed it',
    pool: { ...defaultPoolConfig, minIdle: 2, maxIdle: 3, maxSize: 3, idleTimeoutMs: 0, maxLifetimeMs: 0, leakThresholdMs: 1000 },
    phases: () => [{
      clients: [
        { name: 'monthly export', handler: exportMonthlyReport, rounds: 1, thinkMs: 0 },
        { name: 'checkout 1', handler: checkout, rounds: 15, thinkMs: 100 },
        { name: 'checkout 2', handler: checkout, rounds: 15, thinkMs: 100 },
      ],
    }],
    verdict: (r, p) =>
      r.leaksDetected > 0
        ? `${r.leaksDetected} leak reported after ${p.leakThresholdMs} ms, borrowed in ${handlerFrame(r.leakStack ?? '')}.`
        : 'No leak was reported.',
  },
};

export interface PresetRun {
  readonly preset: PresetName;
  readonly pool: Pool;
  readonly recorder: Recorder;
  /** Calls back with the result once the workload has finished; the pool stays open. */
  onFinished(done: (r: PresetResult) => void): void;
}

/**
 * Starts a preset on a runtime: a new pool with the preset's settings and its workload. The
 * caller drives time (settleSync on the embedded runtime, real time on MySQL) and shuts the pool
 * down when done with it. `queries` sets the total for per-query and pooled.
 */
export function startPreset(name: PresetName, rt: Runtime, opts: { queries?: number } = {}): PresetRun {
  const spec = PRESETS[name];
  const pool = new Pool(rt.driver, rt.scheduler, spec.pool);
  const rec = new Recorder();
  const phases = spec.phases(opts.queries ?? 400);
  const clients = Math.max(...phases.map((p) => ('clients' in p ? p.clients.length : 0)));
  let firstLeak: string | null = null;
  pool.onEvent((e) => { if (e.type === 'leak') firstLeak ??= e.stack; });
  const t0 = rt.scheduler.now();
  let result: PresetResult | undefined;
  const waiting: ((r: PresetResult) => void)[] = [];
  runPhases(pool, rt.scheduler, rec, phases, () => {
    const durationMs = rt.scheduler.now() - t0;
    const m = pool.metrics();
    const r: PresetResult = {
      preset: name, driver: rt.mode, clients,
      queries: rec.queries, failedQueries: rec.failedQueries, errorsByCode: { ...rec.errorsByCode },
      connectionsCreated: m.created, connectionsDestroyed: m.destroyed, acquireTimeouts: rec.acquireTimeouts,
      validationFailures: m.validationFailures, keepalivePings: m.pings, leaksDetected: m.leaks, leakStack: firstLeak,
      peakWaiting: m.peakWaiting, durationMs, throughputQps: durationMs > 0 ? (rec.queries * 1000) / durationMs : 0,
      latencyMs: percentiles(rec.latenciesMs), acquireWaitMs: percentiles(rec.acquireWaitsMs), verdict: '',
    };
    r.verdict = spec.verdict(r, spec.pool);
    result = r;
    for (const w of waiting.splice(0)) w(r);
  });
  return {
    preset: name, pool, recorder: rec,
    onFinished: (done) => (result ? done(result) : void waiting.push(done)),
  };
}
