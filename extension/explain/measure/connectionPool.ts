/**
 * A connection pool measured on the pool engine's simulated MySQL server (virtual clock): the
 * code's settings (library defaults for the rest) serve a burst of requests, sit idle past the
 * server's wait_timeout, then serve another burst; the queries that fail on connections the server
 * closed are counted, and again with validation on borrow, the guard that needs no tuning.
 */
import { EmbeddedRuntime, Pool, type PoolConfig } from '../../engines/pool';
import type { ConnectionPoolParams } from '../finding';
import { count, type Measured, type Measurement } from './measurement';
import { defaultsFor, poolConfigFor } from './poolDefaults';

const MYSQL_DEFAULT_WAIT_S = 28_800;
const MAX_CLIENTS = 8;
const ROUNDS = 3;

interface Outcome { queries: number; failed: number }

/** Two bursts of `clients` requests around an idle gap of `idleMs`, on a fresh simulated server. */
function idleGapRun(config: PoolConfig, waitTimeoutS: number, idleMs: number, clients: number): Outcome {
  const rt = new EmbeddedRuntime({ waitTimeoutS, maxConnections: Math.max(151, config.maxSize + 1) }, 1);
  const pool = new Pool(rt.driver, rt.scheduler, config);
  const out: Outcome = { queries: 0, failed: 0 };
  const burst = (): void => {
    let pending = clients * ROUNDS;
    const one = (left: number): void => {
      pool.acquire('explain', (r) => {
        if (!r.ok) { out.failed++; pending--; if (left > 1) one(left - 1); return; }
        const lease = r.value;
        out.queries++;
        lease.query('SELECT 1', (q) => {
          if (!q.ok) out.failed++;
          lease.release();
          pending--;
          if (left > 1) one(left - 1);
        });
      });
    };
    for (let c = 0; c < clients; c++) one(ROUNDS);
    rt.scheduler.runUntil(() => pending === 0, 3_600_000);
  };
  burst();
  rt.scheduler.advance(idleMs);
  burst();
  return out;
}

export function measureConnectionPool(p: ConnectionPoolParams): Measured {
  const d = defaultsFor(p.library);
  if (p.serverWaitTimeoutS === null && !d.mysql)
    return { measurements: [], missing: [`${p.library}'s server does not close idle connections by default (PostgreSQL only with idle_session_timeout), so the stale-connection run was not made; set wait_timeout in the selection to measure it.`] };
  const missing: string[] = [];
  const wait = p.serverWaitTimeoutS ?? MYSQL_DEFAULT_WAIT_S;
  if (p.serverWaitTimeoutS === null) missing.push(`The selection does not set the server's wait_timeout; MySQL's default, ${MYSQL_DEFAULT_WAIT_S} s (8 h), was used.`);
  if (p.library === 'database/sql') missing.push('database/sql retries a query on a new connection when the driver reports a bad connection before sending it; the engine\'s pool has no such retry, so the failures are those a driver cannot catch in time.');
  const config = poolConfigFor(p);
  const clients = Math.min(MAX_CLIENTS, config.maxSize);
  const idleMs = (wait + 60) * 1000;
  const method = `${clients} clients × ${ROUNDS} queries, ${Math.round(idleMs / 60_000)} min idle, again ${clients} × ${ROUNDS}; server wait_timeout ${wait} s (pool engine, simulated server)`;
  const asIs = idleGapRun(config, wait, idleMs, clients);
  const guarded = idleGapRun({ ...config, validateOnBorrow: true }, wait, idleMs, clients);
  const m = (id: string, label: string, value: number): Measurement => ({ id, label, value, display: count(value), engine: 'pool', method });
  return {
    measurements: [
      m('stale-failures', 'queries failed on connections the server had closed', asIs.failed),
      m('stale-queries', 'queries attempted', asIs.queries),
      m('stale-failures-guarded', 'failed with validation on borrow', guarded.failed),
    ],
    missing,
  };
}
