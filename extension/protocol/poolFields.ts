/**
 * The pool's settings and the embedded server's, as fields a person edits: what the webview's
 * settings form and the "Configure Pool…" command call each one and say about it. No bounds are
 * written here: a candidate value is put into the whole configuration, which is parsed with the
 * engine's own schema and cross-field check, so the form, the command and the engine agree.
 */
import { UserError } from '../engines/core/model';
import { checkPoolConfig, poolConfigSchema, type PoolConfig } from '../engines/pool/poolConfig';
import { simServerSettingsSchema, type SimServerSettings } from './pool';

interface Field<K extends string> {
  key: K;
  label: string;
  help: string;
  /** int and num read one number; bool on/off; sql statements separated by ";". */
  kind: 'int' | 'num' | 'bool' | 'sql';
  unit?: 'ms' | 's';
}

export type PoolField = Field<keyof PoolConfig & string>;
export type ServerField = Field<keyof SimServerSettings & string>;

export const POOL_FIELDS: readonly PoolField[] = [
  { key: 'minIdle', kind: 'int', label: 'minIdle', help: 'Idle connections the pool keeps open; it opens more in the background when it has fewer.' },
  { key: 'maxSize', kind: 'int', label: 'maxSize', help: 'Connections at most, idle and in use together. Borrowers beyond it wait in a first-come, first-served queue.' },
  { key: 'maxIdle', kind: 'int', label: 'maxIdle', help: 'Idle connections above this are closed when nobody is waiting for them.' },
  { key: 'maxUses', kind: 'int', label: 'maxUses', help: 'Borrows before a connection is closed: 1 is connect-per-request, 0 is no limit.' },
  { key: 'acquireTimeoutMs', kind: 'int', unit: 'ms', label: 'acquireTimeout', help: 'How long a borrower waits in the queue before it gives up with POOL_ACQUIRE_TIMEOUT.' },
  { key: 'idleTimeoutMs', kind: 'int', unit: 'ms', label: 'idleTimeout', help: 'An idle connection above minIdle unused this long is closed (0: never).' },
  { key: 'maxLifetimeMs', kind: 'int', unit: 'ms', label: 'maxLifetime', help: 'A connection this old is closed once idle (0: no limit). Below the server\'s wait_timeout, it also retires connections before the server kills them.' },
  { key: 'keepaliveMs', kind: 'int', unit: 'ms', label: 'keep-alive ping', help: 'Ping a connection idle this long (0: off). Each ping resets the server\'s wait_timeout clock.' },
  { key: 'validateOnBorrow', kind: 'bool', label: 'validate on borrow', help: 'Ping each connection before handing it out; a dead one is closed and the borrower gets another.' },
  { key: 'leakThresholdMs', kind: 'int', unit: 'ms', label: 'leak threshold', help: 'Report a connection borrowed longer than this, with the stack that borrowed it (0: off).' },
  { key: 'initSql', kind: 'sql', label: 'init SQL', help: 'Statements each new connection runs first, separated by ";", e.g. SET SESSION wait_timeout = 2.' },
];

export const SERVER_FIELDS: readonly ServerField[] = [
  { key: 'waitTimeoutS', kind: 'int', unit: 's', label: 'wait_timeout', help: 'The server closes a connection idle this long. New connections start with it.' },
  { key: 'maxConnections', kind: 'int', label: 'max_connections', help: 'Connections the server accepts; past it, connecting fails with ER_CON_COUNT_ERROR.' },
  { key: 'connectMs', kind: 'num', unit: 'ms', label: 'connect cost', help: 'Time to open a connection: TCP handshake, greeting, authentication.' },
  { key: 'queryMs', kind: 'num', unit: 'ms', label: 'query cost', help: 'Round trip of a trivial query (SELECT 1).' },
  { key: 'pingMs', kind: 'num', unit: 'ms', label: 'ping cost', help: 'Round trip of COM_PING (keep-alive and validation).' },
  { key: 'jitter', kind: 'num', label: 'jitter', help: 'Each cost varies uniformly by ± half of this share (0 to 1).' },
];

/** A value as the form and the quick pick show it: "2000 ms", "on", "SET SESSION wait_timeout = 2". */
export function formatFieldValue(f: PoolField | ServerField, value: unknown): string {
  if (f.kind === 'bool') return value ? 'on' : 'off';
  if (f.kind === 'sql') return (value as string[]).length ? (value as string[]).join('; ') : '(none)';
  return `${String(value)}${f.unit ? ` ${f.unit}` : ''}`;
}

/** The text a person edits for a value (no unit, statements joined). */
export function fieldText(f: PoolField | ServerField, value: unknown): string {
  if (f.kind === 'sql') return (value as string[]).join('; ');
  return f.kind === 'bool' ? (value ? 'on' : 'off') : String(value);
}

/** Reads typed text as the field's kind; undefined when it is not that kind of value at all. */
function readField(f: PoolField | ServerField, text: string): unknown {
  const t = text.trim();
  switch (f.kind) {
    case 'int': return /^\d[\d_,]*$/.test(t) ? Number(t.replace(/[_,]/g, '')) : undefined;
    case 'num': return /^\d*\.?\d+$/.test(t) ? Number(t) : undefined;
    case 'bool': return /^(on|true|yes)$/i.test(t) ? true : /^(off|false|no)$/i.test(t) ? false : undefined;
    case 'sql': return t.split(';').map((s) => s.trim()).filter(Boolean);
  }
}

const KIND_HINT = { int: 'a whole number', num: 'a number', bool: 'on or off', sql: 'statements separated by ";"' } as const;

export type Edited<T> = { ok: true; value: T } | { ok: false; error: string };

/** Rewrites a schema path ("pool.maxSize: must be ≤ 1000") with the field's label. */
function labelled(error: string, fields: readonly (PoolField | ServerField)[]): string {
  const m = /^\w+\.(\w+)(?:\[(\d+)\])?: (.*)$/.exec(error);
  const f = m && fields.find((x) => x.key === m[1]);
  return f ? `${f.label}${m![2] !== undefined ? ` (statement ${Number(m![2]) + 1})` : ''} ${m![3]}` : error;
}

/**
 * A configuration with some fields set from typed text, checked as a whole the way the engine
 * checks it: bounds from the schema, then the rules between fields (minIdle ≤ maxIdle ≤ maxSize, …),
 * so several fields can change together. `field` names the one whose text could not be read.
 */
export function withTexts<T extends object>(
  current: T, fields: readonly Field<keyof T & string>[], texts: Readonly<Partial<Record<string, string>>>, check: (candidate: unknown) => Edited<T>,
): Edited<T> & { field?: string } {
  const candidate: Record<string, unknown> = { ...(current as Record<string, unknown>) };
  for (const f of fields) {
    const text = texts[f.key];
    if (text === undefined) continue;
    const value = readField(f as PoolField | ServerField, text);
    if (value === undefined) return { ok: false, error: `${f.label}: enter ${KIND_HINT[f.kind]}.`, field: f.key };
    candidate[f.key] = value;
  }
  return check(candidate);
}

/** Checks a whole pool configuration. */
export function checkedPool(candidate: unknown): Edited<PoolConfig> {
  const parsed = poolConfigSchema.parse(candidate, 'pool');
  if (!parsed.ok) return { ok: false, error: labelled(parsed.error, POOL_FIELDS) };
  try {
    return { ok: true, value: checkPoolConfig(parsed.value) };
  } catch (e) {
    if (e instanceof UserError) return { ok: false, error: e.message };
    throw e;
  }
}

/** Checks the embedded server's settings. */
export function checkedServer(candidate: unknown): Edited<SimServerSettings> {
  const parsed = simServerSettingsSchema.parse(candidate, 'server');
  return parsed.ok ? parsed : { ok: false, error: labelled(parsed.error, SERVER_FIELDS) };
}
