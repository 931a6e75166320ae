/**
 * A recognised pool's settings as the pool engine's PoolConfig: what the code sets, and for the
 * rest what its library does when not told (mysql2 closes idle connections after 60 s, HikariCP
 * retires them after 30 min and checks an idle one before lending it, SQLAlchemy never recycles).
 */
import { checkPoolConfig, defaultPoolConfig, type PoolConfig } from '../../engines/pool';
import type { ConnectionPoolParams } from '../finding';

const DAY_MS = 86_400_000;

interface LibraryDefaults {
  maxSize: number;
  idleTimeoutMs: number;
  maxLifetimeMs: number;
  acquireTimeoutMs: number;
  validateOnBorrow: boolean;
  /** Idle connections kept open: all of them (HikariCP's minimumIdle = maximumPoolSize) or none. */
  keepAllIdle: boolean;
  /** Whether the server behind it closes idle connections after wait_timeout (MySQL's, 8 h by default). */
  mysql: boolean;
}

const FALLBACK: LibraryDefaults = { maxSize: 10, idleTimeoutMs: 0, maxLifetimeMs: 0, acquireTimeoutMs: DAY_MS, validateOnBorrow: false, keepAllIdle: false, mysql: false };

export const POOL_DEFAULTS: Record<string, LibraryDefaults> = {
  mysql2: { ...FALLBACK, idleTimeoutMs: 60_000, mysql: true },
  pg: { ...FALLBACK, idleTimeoutMs: 10_000 },
  'generic-pool': { ...FALLBACK, maxSize: 1, idleTimeoutMs: 30_000 },
  knex: { ...FALLBACK, idleTimeoutMs: 30_000, acquireTimeoutMs: 60_000 },
  sequelize: { ...FALLBACK, maxSize: 5, idleTimeoutMs: 10_000, acquireTimeoutMs: 60_000 },
  mongodb: { ...FALLBACK, maxSize: 100 },
  // HikariCP tests a connection idle for more than 500 ms before lending it (aliveBypassWindowMs).
  HikariCP: { maxSize: 10, idleTimeoutMs: 600_000, maxLifetimeMs: 1_800_000, acquireTimeoutMs: 30_000, validateOnBorrow: true, keepAllIdle: true, mysql: true },
  DBCP: { ...FALLBACK, maxSize: 8, mysql: true },
  'database/sql': { ...FALLBACK, mysql: true },
  pgxpool: { ...FALLBACK, maxSize: 4, idleTimeoutMs: 1_800_000, maxLifetimeMs: 3_600_000 },
  SQLAlchemy: { ...FALLBACK, maxSize: 15, acquireTimeoutMs: 30_000 },
  'SQLAlchemy (MySQL)': { ...FALLBACK, maxSize: 15, acquireTimeoutMs: 30_000, mysql: true },
  psycopg2: { ...FALLBACK },
  'mysql-connector': { ...FALLBACK, maxSize: 5, mysql: true },
  aiomysql: { ...FALLBACK, mysql: true },
  asyncpg: { ...FALLBACK, idleTimeoutMs: 300_000 },
};

export function defaultsFor(library: string): LibraryDefaults {
  return POOL_DEFAULTS[library] ?? FALLBACK;
}

const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, Math.round(x)));

/** The pool engine's configuration for these settings, within the engine's limits. */
export function poolConfigFor(p: ConnectionPoolParams): PoolConfig {
  const d = defaultsFor(p.library);
  const maxSize = clamp(p.maxSize ?? d.maxSize, 1, 1000);
  const minIdle = clamp(p.minIdle ?? (d.keepAllIdle ? maxSize : 0), 0, maxSize);
  const maxLifetimeMs = clamp(p.maxLifetimeMs ?? d.maxLifetimeMs, 0, DAY_MS);
  let keepaliveMs = clamp(p.keepAliveMs ?? 0, 0, DAY_MS);
  if (maxLifetimeMs > 0 && keepaliveMs >= maxLifetimeMs) keepaliveMs = 0;
  return checkPoolConfig({
    ...defaultPoolConfig,
    maxSize,
    minIdle,
    maxIdle: maxSize,
    acquireTimeoutMs: clamp(p.acquireTimeoutMs && p.acquireTimeoutMs > 0 ? p.acquireTimeoutMs : d.acquireTimeoutMs, 1, DAY_MS),
    idleTimeoutMs: clamp(p.idleTimeoutMs ?? d.idleTimeoutMs, 0, DAY_MS),
    maxLifetimeMs,
    keepaliveMs,
    validateOnBorrow: p.validation ?? d.validateOnBorrow,
    leakThresholdMs: clamp(p.leakDetectionMs ?? 0, 0, DAY_MS),
  });
}
