/**
 * Database connection pools: mysql2/mysql, pg, generic-pool, knex, Sequelize and the MongoDB driver
 * in JS; HikariCP and DBCP in Java; database/sql and pgxpool in Go; SQLAlchemy, psycopg2,
 * mysql-connector, aiomysql and asyncpg in Python. Sizes and timeouts are read with their units.
 * Risks: `lifetime-exceeds-wait-timeout`, `idle-exceeds-wait-timeout`, `no-max-lifetime`,
 * `unbounded-acquire-wait`, `idle-above-open`, `pool-exceeds-max-connections`.
 */
import type { ConnectionPoolParams, FindingOf, Risk, Settings } from '../finding';
import type { Call, Facts } from '../syntax/facts';
import { evalBool, evalDurationMs, evalNumber } from '../syntax/evaluate';
import { dotted, entry, type Expr, lastName, type RecordEntry, type Span } from '../syntax/tree';
import { cover, finding, type Recogniser } from './common';

type Field = 'max' | 'min' | 'idle' | 'lifetime' | 'acquire' | 'keepAlive' | 'validation' | 'leak' | 'overflow' | 'other';
/** Option → field, and ms per unit of a bare number (0 for counts and flags). */
type Table = Record<string, [Field, number]>;

const MYSQL2: Table = { connectionLimit: ['max', 0], maxIdle: ['other', 0], idleTimeout: ['idle', 1], queueLimit: ['other', 0], waitForConnections: ['other', 0], acquireTimeout: ['acquire', 1], enableKeepAlive: ['other', 0], keepAliveInitialDelay: ['other', 0], connectTimeout: ['other', 0] };
const PG: Table = { max: ['max', 0], min: ['min', 0], idleTimeoutMillis: ['idle', 1], connectionTimeoutMillis: ['acquire', 1], maxLifetimeSeconds: ['lifetime', 1000], keepAlive: ['other', 0], allowExitOnIdle: ['other', 0], maxUses: ['other', 0] };
const GENERIC: Table = { max: ['max', 0], min: ['min', 0], idleTimeoutMillis: ['idle', 1], acquireTimeoutMillis: ['acquire', 1], testOnBorrow: ['validation', 0], evictionRunIntervalMillis: ['other', 0], createTimeoutMillis: ['other', 0], reapIntervalMillis: ['other', 0] };
const SEQUELIZE: Table = { max: ['max', 0], min: ['min', 0], acquire: ['acquire', 1], idle: ['idle', 1], evict: ['other', 0], validate: ['validation', 0] };
const MONGO: Table = { maxPoolSize: ['max', 0], minPoolSize: ['min', 0], maxIdleTimeMS: ['idle', 1], waitQueueTimeoutMS: ['acquire', 1] };
const HIKARI: Table = {
  setMaximumPoolSize: ['max', 0], setMinimumIdle: ['min', 0], setIdleTimeout: ['idle', 1], setMaxLifetime: ['lifetime', 1], setConnectionTimeout: ['acquire', 1],
  setKeepaliveTime: ['keepAlive', 1], setLeakDetectionThreshold: ['leak', 1], setConnectionTestQuery: ['validation', 0], setValidationTimeout: ['other', 0],
  maximumPoolSize: ['max', 0], minimumIdle: ['min', 0], idleTimeout: ['idle', 1], maxLifetime: ['lifetime', 1], connectionTimeout: ['acquire', 1], keepaliveTime: ['keepAlive', 1], leakDetectionThreshold: ['leak', 1],
};
const DBCP: Table = {
  setMaxTotal: ['max', 0], setMinIdle: ['min', 0], setMaxIdle: ['other', 0], setMaxWaitMillis: ['acquire', 1], setMaxConnLifetimeMillis: ['lifetime', 1], setTestOnBorrow: ['validation', 0],
  setValidationQuery: ['validation', 0], setMinEvictableIdleTimeMillis: ['idle', 1], setRemoveAbandonedTimeout: ['leak', 1000], setTimeBetweenEvictionRunsMillis: ['other', 0],
};
const GO_SQL: Table = { SetMaxOpenConns: ['max', 0], SetMaxIdleConns: ['other', 0], SetConnMaxLifetime: ['lifetime', 1e-6], SetConnMaxIdleTime: ['idle', 1e-6] };
const PGXPOOL: Table = { MaxConns: ['max', 0], MinConns: ['min', 0], MaxConnLifetime: ['lifetime', 1e-6], MaxConnIdleTime: ['idle', 1e-6], HealthCheckPeriod: ['keepAlive', 1e-6] };
const SQLALCHEMY: Table = { pool_size: ['max', 0], max_overflow: ['overflow', 0], pool_recycle: ['lifetime', 1000], pool_pre_ping: ['validation', 0], pool_timeout: ['acquire', 1000], pool_use_lifo: ['other', 0] };
const AIOMYSQL: Table = { minsize: ['min', 0], maxsize: ['max', 0], pool_recycle: ['lifetime', 1000] };
const ASYNCPG: Table = { min_size: ['min', 0], max_size: ['max', 0], max_inactive_connection_lifetime: ['idle', 1000], max_queries: ['other', 0] };
const MYSQL_CONNECTOR: Table = { pool_size: ['max', 0], pool_name: ['other', 0], pool_reset_session: ['other', 0] };

/** Libraries that talk to MySQL/MariaDB, whose server closes idle connections after wait_timeout. */
const MYSQL_LIBRARIES = new Set(['mysql2', 'aiomysql', 'mysql-connector']);
const MYSQL_MAX_CONNECTIONS = 151;

interface Pool {
  span: Span;
  library: string;
  values: Partial<Record<Field, number | boolean>>;
  settings: Settings;
}

export const connectionPool: Recogniser = {
  concept: 'connection-pool',
  recognise(facts) {
    const pools: Pool[] = [];
    for (const c of facts.calls) {
      const p = fromCall(facts, c);
      if (p) pools.push(p);
    }
    pools.push(...grouped(facts));
    const waitTimeout = serverWaitTimeout(facts);
    return pools.map((p) => report(facts, p, waitTimeout));
  },
};

function read(facts: Facts, pool: Pool, table: Table, entries: RecordEntry[]): number {
  let n = 0;
  for (const e of entries) {
    if (!e.key || !(e.key in table)) continue;
    n++;
    set(facts, pool, e.key, table[e.key]!, e.value);
  }
  return n;
}

function set(facts: Facts, pool: Pool, key: string, [field, unit]: [Field, number], value: Expr): void {
  let v: number | boolean | null;
  if (field === 'validation') v = value.k === 'str' ? true : evalBool(value, facts.scope);
  else if (unit > 0) v = evalDurationMs(value, facts.scope, unit);
  else v = evalBool(value, facts.scope) ?? evalNumber(value, facts.scope);
  pool.settings[key] = v ?? facts.excerpt(value.span, 40);
  if (v !== null && field !== 'other') pool.values[field] = v;
}

const kwargs = (c: Call): RecordEntry[] => c.args.filter((a) => a.name !== undefined).map((a) => ({ key: a.name, value: a.value }));
const recordArg = (c: Call): Extract<Expr, { k: 'record' }> | undefined => c.args.find((a) => a.value.k === 'record')?.value as Extract<Expr, { k: 'record' }> | undefined;

function fromCall(facts: Facts, c: Call): Pool | null {
  const name = lastName(c.callee) ?? '';
  const path = dotted(c.callee) ?? name;
  const pool = (library: string): Pool => ({ span: c.span, library, values: {}, settings: {} });
  if (facts.lang === 'typescript' || facts.lang === 'javascript') {
    const opts = recordArg(c);
    if (name === 'createPool' && c.args.length === 1 && (opts || c.args[0]!.value.k === 'str')) {
      const keys = new Set(opts?.entries.map((e) => e.key) ?? []);
      const generic = !keys.has('connectionLimit') && (keys.has('max') || keys.has('idleTimeoutMillis'));
      const p = pool(generic ? 'generic-pool' : 'mysql2');
      read(facts, p, generic ? GENERIC : MYSQL2, opts?.entries ?? []);
      return p;
    }
    if (name === 'createPool' && c.args.length === 2 && opts) {
      const p = pool('generic-pool');
      return read(facts, p, GENERIC, opts.entries) > 0 ? p : null;
    }
    if (c.isNew && name === 'Pool' && c.args.length <= 1 && opts) {
      const p = pool('pg');
      return read(facts, p, PG, opts.entries) > 0 ? p : null;
    }
    if (name === 'knex' || name === 'Knex') {
      const inner = opts ? entry(opts, 'pool') : undefined;
      if (inner?.k !== 'record') return null;
      const p = pool('knex');
      return read(facts, p, GENERIC, inner.entries) > 0 ? p : null;
    }
    if (c.isNew && name === 'Sequelize') {
      const inner = opts ? entry(opts, 'pool') : undefined;
      if (inner?.k !== 'record') return null;
      const p = pool('sequelize');
      return read(facts, p, SEQUELIZE, inner.entries) > 0 ? p : null;
    }
    if ((c.isNew && name === 'MongoClient') || path === 'mongoose.connect') {
      const p = pool('mongodb');
      return opts && read(facts, p, MONGO, opts.entries) > 0 ? p : null;
    }
    return null;
  }
  if (facts.lang === 'python') {
    if (name === 'create_engine' || name === 'create_async_engine') {
      const p = pool('SQLAlchemy');
      if (read(facts, p, SQLALCHEMY, kwargs(c)) === 0) return null;
      const url = c.args[0]?.value;
      if (url?.k === 'str' && /^mysql|mariadb/i.test(url.value)) p.library = 'SQLAlchemy (MySQL)';
      return p;
    }
    if (/^(SimpleConnectionPool|ThreadedConnectionPool)$/.test(name)) {
      const p = pool('psycopg2');
      const [min, max] = c.args.filter((a) => !a.name);
      if (min) set(facts, p, 'minconn', ['min', 0], min.value);
      if (max) set(facts, p, 'maxconn', ['max', 0], max.value);
      return p;
    }
    if (name === 'MySQLConnectionPool') { const p = pool('mysql-connector'); read(facts, p, MYSQL_CONNECTOR, kwargs(c)); return p; }
    if (name === 'create_pool' && /aiomysql/.test(path)) { const p = pool('aiomysql'); read(facts, p, AIOMYSQL, kwargs(c)); return p; }
    if (name === 'create_pool' && /asyncpg/.test(path)) { const p = pool('asyncpg'); read(facts, p, ASYNCPG, kwargs(c)); return p; }
    return null;
  }
  return null;
}

/** Setter calls and field assignments on one object: HikariCP, DBCP, database/sql, pgxpool. */
function grouped(facts: Facts): Pool[] {
  const groups = new Map<string, Pool>();
  const at = (key: string, span: Span, library: string): Pool => {
    let p = groups.get(key);
    if (!p) { p = { span, library, values: {}, settings: {} }; groups.set(key, p); }
    p.span = cover([p.span, span]);
    return p;
  };
  for (const c of facts.calls) {
    if (c.callee.k !== 'member' || c.args.length === 0) continue;
    const name = c.callee.name;
    const owner = dotted(c.callee.object) ?? '?';
    const value = c.args[c.args.length - 1]!.value;
    if (facts.lang === 'java' && name in HIKARI && name.startsWith('set')) set(facts, at(`${owner}#hikari`, c.span, 'HikariCP'), name, HIKARI[name]!, value);
    else if (facts.lang === 'java' && name === 'setProperty' && c.args[0]?.value.k === 'str' && (c.args[0].value as { value: string }).value in HIKARI && c.args.length === 2)
      set(facts, at(`${owner}#hikari`, c.span, 'HikariCP'), (c.args[0].value as { value: string }).value, HIKARI[(c.args[0].value as { value: string }).value]!, value);
    else if (facts.lang === 'java' && name in DBCP && facts.hasName(/DataSource/)) set(facts, at(`${owner}#dbcp`, c.span, 'DBCP'), name, DBCP[name]!, value);
    else if (facts.lang === 'go' && name in GO_SQL) set(facts, at(`${owner}#sql`, c.span, 'database/sql'), name, GO_SQL[name]!, value);
  }
  if (facts.lang === 'go') {
    for (const a of facts.assigns) {
      if (a.op !== '=' || a.target.k !== 'member' || !(a.target.name in PGXPOOL)) continue;
      set(facts, at(`${dotted(a.target.object) ?? '?'}#pgx`, a.span, 'pgxpool'), a.target.name, PGXPOOL[a.target.name]!, a.value);
    }
  }
  return [...groups.values()];
}

/** `SET SESSION wait_timeout = 600`, `SET GLOBAL wait_timeout=28800`, `wait_timeout: 60` in a string. */
function serverWaitTimeout(facts: Facts): number | null {
  for (const s of facts.strings) {
    const m = /wait_timeout\s*[=:]?\s*(\d+)/i.exec(s.value);
    if (m) return Number(m[1]);
  }
  return null;
}

function report(facts: Facts, p: Pool, waitTimeoutS: number | null): FindingOf<'connection-pool'> {
  const v = p.values;
  const num = (f: Field): number | null => (typeof v[f] === 'number' ? (v[f] as number) : null);
  let maxSize = num('max');
  if (p.library.startsWith('SQLAlchemy') && maxSize !== null) maxSize += num('overflow') ?? 10;
  const params: ConnectionPoolParams = {
    library: p.library,
    maxSize,
    minIdle: num('min'),
    idleTimeoutMs: num('idle'),
    maxLifetimeMs: num('lifetime'),
    acquireTimeoutMs: num('acquire'),
    keepAliveMs: num('keepAlive'),
    validation: typeof v.validation === 'boolean' ? v.validation : null,
    leakDetectionMs: num('leak'),
    serverWaitTimeoutS: waitTimeoutS,
    settings: p.settings,
  };
  const risks: Risk[] = [];
  const fmt = (ms: number): string => (ms >= 60_000 && ms % 60_000 === 0 ? `${ms / 60_000} min` : ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`);
  const mysql = MYSQL_LIBRARIES.has(p.library) || p.library === 'SQLAlchemy (MySQL)' || facts.strings.some((s) => /mysql|mariadb/i.test(s.value));
  // HikariCP retires connections after 30 minutes unless told otherwise; that default counts too.
  const lifetime = params.maxLifetimeMs ?? (p.library === 'HikariCP' ? 1_800_000 : null);
  const guarded = params.validation === true || params.keepAliveMs !== null;
  if (waitTimeoutS !== null) {
    const wait = waitTimeoutS * 1000;
    if (lifetime !== null && lifetime >= wait)
      risks.push({
        id: 'lifetime-exceeds-wait-timeout',
        severity: 'error',
        message: `Connections live up to ${fmt(lifetime)}${params.maxLifetimeMs === null ? ' (the default)' : ''}, longer than the server's wait_timeout of ${fmt(wait)}: the server closes idle ones first, and the next query on such a connection fails (PROTOCOL_CONNECTION_LOST, "server has gone away"). Keep the max lifetime a few seconds below wait_timeout.`,
      });
    const idle = params.idleTimeoutMs ?? (p.library === 'mysql2' ? 60_000 : null);
    if (idle !== null && idle >= wait && !guarded)
      risks.push({
        id: 'idle-exceeds-wait-timeout',
        severity: 'error',
        message: `Idle connections stay in the pool for ${fmt(idle)}${params.idleTimeoutMs === null ? ' (the default)' : ''}, but the server drops them after ${fmt(wait)} (wait_timeout): borrowers get dead connections. Lower the idle timeout below wait_timeout, or validate/ping before use.`,
      });
  }
  const noLifetime =
    (p.library === 'database/sql' && !('SetConnMaxLifetime' in p.settings) && !('SetConnMaxIdleTime' in p.settings)) ||
    (p.library === 'SQLAlchemy (MySQL)' && !('pool_recycle' in p.settings) && params.validation !== true);
  if (noLifetime)
    risks.push({
      id: 'no-max-lifetime',
      severity: 'warning',
      message: `Connections are reused forever: once the server (MySQL's wait_timeout, 8 h by default) or a proxy closes an idle one, the next query on it fails ("driver: bad connection", "MySQL server has gone away"). Set ${p.library === 'database/sql' ? 'SetConnMaxLifetime' : 'pool_recycle (or pool_pre_ping=True)'} below the server's limit.`,
    });
  const waitsForever =
    (p.library === 'pg' && !params.acquireTimeoutMs) ||
    (p.library === 'mysql2' && params.acquireTimeoutMs === null && !p.settings.queueLimit && p.settings.waitForConnections !== false);
  if (waitsForever)
    risks.push({
      id: 'unbounded-acquire-wait',
      severity: 'warning',
      message: p.library === 'pg'
        ? 'connectionTimeoutMillis is not set (0 = wait forever): when the pool is exhausted, requests queue without limit instead of failing fast.'
        : 'With waitForConnections on and queueLimit 0 (the defaults), requests wait for a free connection without any limit when the pool is exhausted; callers hang instead of failing fast.',
    });
  const maxIdle = p.settings.SetMaxIdleConns;
  if (p.library === 'database/sql' && typeof maxIdle === 'number' && maxSize !== null && maxSize > 0 && maxIdle > maxSize)
    risks.push({ id: 'idle-above-open', severity: 'info', message: `SetMaxIdleConns(${maxIdle}) is above SetMaxOpenConns(${maxSize}); database/sql silently lowers it to ${maxSize}.` });
  if (mysql && maxSize !== null && maxSize > MYSQL_MAX_CONNECTIONS)
    risks.push({
      id: 'pool-exceeds-max-connections',
      severity: 'warning',
      message: `${maxSize} connections from one process already exceed MySQL's default max_connections (${MYSQL_MAX_CONNECTIONS}); with several instances, connects fail with ER_CON_COUNT_ERROR ("Too many connections").`,
    });
  return finding(facts, 'connection-pool', p.span, 0.9, params, risks);
}
