/**
 * The keys a session routes: batches of generated keys (a seed and a count, regenerated on demand
 * rather than stored) and of explicit keys. A KeySet never changes; inserting makes a new one that
 * shares the old batches, so timeline snapshots can keep key sets for free.
 *
 * Schemes see keys as 32-bit hashes. Each key set hashes its keys once per hash function and keeps
 * the result; a larger set built from a smaller one copies the smaller one's hashes and hashes only
 * the new keys.
 */
import type { RunContext } from '../core/model';
import { Prng } from '../core/prng';
import type { ExternalHash } from '../hashing';
import { KeyHashName, keyHasher } from './scheme';

export type KeyBatch =
  | { readonly kind: 'generated'; readonly seed: number; readonly count: number }
  | { readonly kind: 'explicit'; readonly keys: readonly string[] };

/** Keys handed at once to a hash from the user's code, which runs in its sandbox a batch at a time. */
const EXTERNAL_BATCH = 16_384;

/** Char codes of the hex digits. */
const HEX = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
const hex = (x: number): number => HEX[x & 15]!;

/** A visitor of keys; returning false stops the walk. */
export type KeyVisitor = (key: string, index: number) => boolean | void;

/**
 * Keys like "key:3f9a0c12e4b7d605": 64 random bits from the seeded generator, so repeats are
 * negligible. Built with one fromCharCode call: concatenation would make rope strings that every
 * hashing pass has to flatten again.
 */
export function generateKeys(seed: number, count: number, visit: KeyVisitor): boolean {
  const prng = new Prng(seed);
  const f = String.fromCharCode;
  for (let i = 0; i < count; i++) {
    const x = prng.nextU32();
    const y = prng.nextU32();
    const key = f(
      107, 101, 121, 58,
      hex(x >>> 28), hex(x >>> 24), hex(x >>> 20), hex(x >>> 16), hex(x >>> 12), hex(x >>> 8), hex(x >>> 4), hex(x),
      hex(y >>> 28), hex(y >>> 24), hex(y >>> 20), hex(y >>> 16), hex(y >>> 12), hex(y >>> 8), hex(y >>> 4), hex(y),
    );
    if (visit(key, i) === false) return false;
  }
  return true;
}

function batchSize(b: KeyBatch): number {
  return b.kind === 'generated' ? b.count : b.keys.length;
}

export class KeySet {
  static readonly empty = new KeySet([], undefined);

  readonly size: number;
  private readonly hashCache = new Map<KeyHashName, Uint32Array>();
  /** Hashes of the set this one extends, for the prefix the two share. */
  private readonly inherited: Map<KeyHashName, Uint32Array>;

  private constructor(readonly batches: readonly KeyBatch[], inherited: Map<KeyHashName, Uint32Array> | undefined) {
    this.size = batches.reduce((n, b) => n + batchSize(b), 0);
    this.inherited = new Map(inherited);
  }

  with(batch: KeyBatch): KeySet {
    return new KeySet([...this.batches, batch], this.hashCache);
  }

  /** Visits keys [from, to) in order; returns false if the visitor stopped the walk. */
  forEach(visit: KeyVisitor, from = 0, to = this.size): boolean {
    let base = 0;
    for (const b of this.batches) {
      const n = batchSize(b);
      if (base + n > from && base < to) {
        const offset = base;
        if (b.kind === 'explicit') {
          for (let i = Math.max(0, from - base); i < Math.min(n, to - base); i++) if (visit(b.keys[i]!, base + i) === false) return false;
        } else {
          // A generated batch can only be replayed from its start.
          const go = generateKeys(b.seed, Math.min(n, to - base), (k, i) => (offset + i >= from ? visit(k, offset + i) : true));
          if (!go) return false;
        }
      }
      base += n;
      if (base >= to) break;
    }
    return true;
  }

  /** The keys [from, to) as strings (for small sets and windows). */
  slice(from: number, to: number): string[] {
    const out: string[] = [];
    this.forEach((k) => { out.push(k); }, from, to);
    return out;
  }

  /**
   * Every key's hash under `name`. Returns undefined if cancelled part way. Computed once per
   * set and hash function.
   */
  hashes(name: KeyHashName, ctx: RunContext): Uint32Array | undefined {
    const cached = this.hashCache.get(name);
    if (cached) return cached;
    const out = new Uint32Array(this.size);
    let done = 0;
    const inherited = this.inherited.get(name);
    if (inherited) {
      out.set(inherited);
      done = inherited.length;
    }
    const finished = typeof name === 'object' ? this.hashInBatches(name, out, done, ctx) : this.hashOneByOne(name, out, done, ctx);
    if (!finished) return undefined;
    this.hashCache.set(name, out);
    this.inherited.delete(name);
    return out;
  }

  private hashOneByOne(name: KeyHashName, out: Uint32Array, from: number, ctx: RunContext): boolean {
    const hash = keyHasher(name);
    const total = this.size - from;
    return this.forEach((k, i) => {
      out[i] = hash(k);
      if ((i & 0xffff) !== 0xffff) return true;
      if (ctx.cancelled) return false;
      ctx.progress((i - from) / total, 'hashing keys');
      return true;
    }, from);
  }

  /** A hash from the user's code runs in its sandbox a batch at a time. */
  private hashInBatches(h: ExternalHash, out: Uint32Array, from: number, ctx: RunContext): boolean {
    const batch: string[] = [];
    let at = from;
    const flush = (): void => {
      out.set(h.many(batch), at);
      at += batch.length;
      batch.length = 0;
    };
    const finished = this.forEach((k) => {
      batch.push(k);
      if (batch.length < EXTERNAL_BATCH) return true;
      flush();
      if (ctx.cancelled) return false;
      ctx.progress((at - from) / (this.size - from), 'hashing keys');
      return true;
    }, from);
    if (finished) flush();
    return finished;
  }

  /** Forgets cached hashes; they are rebuilt on demand. */
  releaseCaches(): void {
    this.hashCache.clear();
    this.inherited.clear();
  }
}
