/**
 * The idempotency store: what both the embedded in-memory store and the real Redis store offer,
 * with Redis's semantics. The weak check needs only `setNx` (`SET key value NX PX ttl`, one atomic
 * command); the strong check keeps a record per key and moves it between states with `begin` and
 * `complete`, each one atomic step on the server (a Lua script in Redis), so two consumers racing on
 * the same key can never both see it free.
 *
 * A strong record is stored as a JSON string under its key, so both stores hold plain strings and
 * the store table can show any key, weak or strong, the same way.
 */

/** What a strong record says about the work behind its key. */
export type RecordState = 'in_progress' | 'succeeded' | 'failed';

export interface StrongRecord {
  state: RecordState;
  /** Fingerprint of the payload first seen under this key; a different payload is a conflict. */
  fp: string;
  /** Who holds the lease while in progress (a delivery id); absent once finished. */
  owner?: string;
  /** The stored answer every later duplicate gets, once finished. */
  result?: string;
}

/** The answer to `begin`: whether the caller may run the effect, and if not, why. */
export type BeginReply =
  /** The key was free (or its lease had expired): the caller now holds the lease and runs the effect. */
  | { status: 'acquired' }
  /** Someone holds the lease; wait and ask again, or let the lease (ttlMs left) run out. */
  | { status: 'in_progress'; owner: string; ttlMs: number }
  /** Already done: here is the stored answer. */
  | { status: 'succeeded' | 'failed'; result: string }
  /** The key was used with a different payload. */
  | { status: 'conflict'; fingerprint: string };

/** `ok`: the record now holds the outcome. `lost`: the caller's lease had expired (someone else may own the key). */
export type CompleteReply = 'ok' | 'lost';

/** One key as the store table shows it. */
export interface StoreEntry {
  key: string;
  value: string;
  /** Milliseconds until expiry; -1 when the key never expires. */
  pttlMs: number;
}

export interface IdempotencyStore {
  /** Which implementation, for messages and the view. */
  readonly kind: 'memory' | 'redis';
  /** `SET key value NX PX ttlMs`: true when the key was absent and is now set. */
  setNx(key: string, value: string, ttlMs: number): Promise<boolean>;
  get(key: string): Promise<string | null>;
  /** Number of keys removed. */
  del(...keys: string[]): Promise<number>;
  /** Redis PTTL: -2 when the key does not exist, -1 when it has no expiry, else ms left. */
  pttl(key: string): Promise<number>;
  /** Atomically claims `key` for `owner` with a lease of `leaseMs`, or says why not. */
  begin(key: string, fingerprint: string, owner: string, leaseMs: number): Promise<BeginReply>;
  /** Atomically records the outcome if `owner` still holds the lease; the record then lives `ttlMs`. */
  complete(key: string, owner: string, outcome: 'succeeded' | 'failed', result: string, ttlMs: number): Promise<CompleteReply>;
  /** Up to `limit` live keys starting with `prefix`, and how many there are in all. */
  scan(prefix: string, limit: number): Promise<{ entries: StoreEntry[]; total: number }>;
  close(): Promise<void>;
}

export function encodeRecord(r: StrongRecord): string {
  return JSON.stringify(r);
}

/** Reads a value as a strong record; undefined for anything else (a weak key, a stranger's key). */
export function decodeRecord(value: string): StrongRecord | undefined {
  if (!value.startsWith('{')) return undefined;
  try {
    const r = JSON.parse(value) as Partial<StrongRecord>;
    if ((r.state === 'in_progress' || r.state === 'succeeded' || r.state === 'failed') && typeof r.fp === 'string') return r as StrongRecord;
  } catch {
    // Not JSON: not one of ours.
  }
  return undefined;
}

/**
 * The decision `begin` makes, given what the key holds now. The in-memory store runs this; the
 * Redis store runs the same decision as Lua inside the server (see redisStore.ts), and the contract
 * tests hold the two to the same answers.
 */
export function decideBegin(current: string | null, fingerprint: string, pttlMs: number): BeginReply | 'corrupt' {
  if (current === null) return { status: 'acquired' };
  const rec = decodeRecord(current);
  if (!rec) return 'corrupt';
  if (rec.fp !== fingerprint) return { status: 'conflict', fingerprint: rec.fp };
  if (rec.state === 'in_progress') return { status: 'in_progress', owner: rec.owner ?? '', ttlMs: pttlMs };
  return { status: rec.state, result: rec.result ?? '' };
}

export function corruptKeyMessage(key: string): string {
  return `The key ${key} holds a value that is not an idempotency record, so the strong check cannot read it. Delete the key or use a different key prefix.`;
}
