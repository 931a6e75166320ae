/**
 * The embedded store: a keyspace with Redis's semantics for the commands the checks use, with
 * expiry driven by an injected clock so a simulated run replays exactly.
 *
 * `MemoryKeyspace` is synchronous (the simulation calls it inside a step and the timeline redoes
 * steps synchronously); `MemoryStore` is the same keyspace behind the asynchronous store interface,
 * so the contract tests and the real-world check code treat it exactly like Redis.
 */
import type { Clock } from '../core/clock';
import type { BeginReply, CompleteReply, IdempotencyStore, StoreEntry } from './store';
import { corruptKeyMessage, decideBegin, decodeRecord, encodeRecord } from './store';

/** A key's value and its expiry time on the clock (-1: never). Plain data, so snapshots can clone it. */
export type KeyspaceData = Map<string, { v: string; exp: number }>;

/**
 * Expired keys are swept after this many writes, or after as many writes as there were keys left
 * by the last sweep, so sweeping costs O(1) per write however large the keyspace (Redis expires
 * actively too; without it, dead keys pile up).
 */
const SWEEP_EVERY = 1024;

export class MemoryKeyspace {
  private writesSinceSweep = 0;
  private sweepAfter = SWEEP_EVERY;

  constructor(private readonly clock: Clock, readonly data: KeyspaceData = new Map()) {}

  /** The live entry, after dropping it if it has expired (Redis: a key is gone once now > expiry). */
  private live(key: string): { v: string; exp: number } | undefined {
    const e = this.data.get(key);
    if (e && e.exp >= 0 && this.clock.now() > e.exp) {
      this.data.delete(key);
      return undefined;
    }
    return e;
  }

  private write(key: string, v: string, ttlMs: number): void {
    this.data.delete(key); // re-insert so iteration order is most-recently-written last
    this.data.set(key, { v, exp: this.clock.now() + ttlMs });
    if (++this.writesSinceSweep >= this.sweepAfter) this.sweep();
  }

  sweep(): void {
    const now = this.clock.now();
    for (const [k, e] of this.data) if (e.exp >= 0 && now > e.exp) this.data.delete(k);
    this.writesSinceSweep = 0;
    this.sweepAfter = Math.max(SWEEP_EVERY, this.data.size);
  }

  setNx(key: string, value: string, ttlMs: number): boolean {
    checkTtl(ttlMs);
    if (this.live(key)) return false;
    this.write(key, value, ttlMs);
    return true;
  }

  get(key: string): string | null {
    return this.live(key)?.v ?? null;
  }

  del(keys: readonly string[]): number {
    let n = 0;
    for (const k of keys) if (this.live(k) && this.data.delete(k)) n++;
    return n;
  }

  pttl(key: string): number {
    const e = this.live(key);
    if (!e) return -2;
    return e.exp < 0 ? -1 : e.exp - this.clock.now();
  }

  begin(key: string, fingerprint: string, owner: string, leaseMs: number): BeginReply {
    checkTtl(leaseMs);
    const decision = decideBegin(this.get(key), fingerprint, this.pttl(key));
    if (decision === 'corrupt') throw new Error(corruptKeyMessage(key));
    if (decision.status === 'acquired') this.write(key, encodeRecord({ state: 'in_progress', fp: fingerprint, owner }), leaseMs);
    return decision;
  }

  complete(key: string, owner: string, outcome: 'succeeded' | 'failed', result: string, ttlMs: number): CompleteReply {
    checkTtl(ttlMs);
    const current = this.get(key);
    const rec = current === null ? undefined : decodeRecord(current);
    if (!rec || rec.state !== 'in_progress' || rec.owner !== owner) return 'lost';
    this.write(key, encodeRecord({ state: outcome, fp: rec.fp, result }), ttlMs);
    return 'ok';
  }

  /** Live keys with `prefix`, most recently written first. */
  scan(prefix: string, limit: number): { entries: StoreEntry[]; total: number } {
    this.sweep();
    const matching: string[] = [];
    for (const k of this.data.keys()) if (k.startsWith(prefix)) matching.push(k);
    const entries: StoreEntry[] = [];
    for (let i = matching.length - 1; i >= 0 && entries.length < limit; i--) {
      const k = matching[i]!;
      entries.push({ key: k, value: this.data.get(k)!.v, pttlMs: this.pttl(k) });
    }
    return { entries, total: matching.length };
  }
}

/** Redis rejects a non-positive or fractional expiry ("ERR invalid expire time"); so does this store. */
function checkTtl(ms: number): void {
  if (!Number.isInteger(ms) || ms <= 0) throw new RangeError(`invalid expire time ${ms} ms: it must be a positive whole number of milliseconds`);
}

/** The in-memory keyspace behind the asynchronous store interface. */
export class MemoryStore implements IdempotencyStore {
  readonly kind = 'memory' as const;
  readonly keyspace: MemoryKeyspace;

  constructor(clock: Clock, data?: KeyspaceData) {
    this.keyspace = new MemoryKeyspace(clock, data);
  }

  async setNx(key: string, value: string, ttlMs: number): Promise<boolean> {
    return this.keyspace.setNx(key, value, ttlMs);
  }
  async get(key: string): Promise<string | null> {
    return this.keyspace.get(key);
  }
  async del(...keys: string[]): Promise<number> {
    return this.keyspace.del(keys);
  }
  async pttl(key: string): Promise<number> {
    return this.keyspace.pttl(key);
  }
  async begin(key: string, fingerprint: string, owner: string, leaseMs: number): Promise<BeginReply> {
    return this.keyspace.begin(key, fingerprint, owner, leaseMs);
  }
  async complete(key: string, owner: string, outcome: 'succeeded' | 'failed', result: string, ttlMs: number): Promise<CompleteReply> {
    return this.keyspace.complete(key, owner, outcome, result, ttlMs);
  }
  async scan(prefix: string, limit: number): Promise<{ entries: StoreEntry[]; total: number }> {
    return this.keyspace.scan(prefix, limit);
  }
  async close(): Promise<void> {}
}
