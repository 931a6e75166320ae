/**
 * Seeded key generators. Each keeps its position, so successive bulk inserts continue the sequence
 * and a replay from the same state yields the same keys.
 * - sequential: user:1, user:2, …; for a record type, the grid points in Z-order (so the first
 *   4^k points of {x, y} fill a 2^k × 2^k square, symmetric pairs included);
 * - random: random keys (or records with fields below 65,536) from the seeded PRNG;
 * - adversarial: keys that collide. Under Java's String.hashCode, the "Aa"/"BB" family: every
 *   string of 21 two-letter blocks has the same 32-bit hash. Otherwise a seeded search for random
 *   keys whose hash lands in one chosen bucket of the table's current size.
 */
import type { RecordType } from '../../protocol/hashtable';
import { Prng, PrngState } from '../core/prng';
import type { StringHash } from '../hashing';

/** Blocks in a Java-family key; 2^21 keys share a hash, more than one bulk insert may ask for. */
export const JAVA_FAMILY_BLOCKS = 21;
export const JAVA_FAMILY_SIZE = 2 ** JAVA_FAMILY_BLOCKS;

export interface GeneratorState {
  sequential: number;
  adversarial: number;
  prng: PrngState;
  /** The hash value whose bucket adversarial keys aim at. */
  target: number;
}

/** What the adversarial search needs to know about the table. */
export interface CollisionTarget {
  hash: StringHash;
  bucketOf(hash: number): number;
  /** True when the table hashes plain strings with Java's String.hashCode. */
  javaStrings: boolean;
}

export class KeyGenerators {
  private sequentialNext: number;
  private adversarialNext: number;
  private readonly prng: Prng;
  private readonly target: number;

  constructor(seed: number | GeneratorState, private readonly record?: RecordType) {
    if (typeof seed === 'number') {
      this.prng = new Prng(seed);
      this.sequentialNext = 1;
      this.adversarialNext = 0;
      this.target = this.prng.nextU32();
    } else {
      this.prng = new Prng(seed.prng);
      this.sequentialNext = seed.sequential;
      this.adversarialNext = seed.adversarial;
      this.target = seed.target;
    }
  }

  state(): GeneratorState {
    return { sequential: this.sequentialNext, adversarial: this.adversarialNext, prng: this.prng.state(), target: this.target };
  }

  /** The same generators with their counters restarted (after a clear), keeping the PRNG's position. */
  restarted(record?: RecordType): KeyGenerators {
    return new KeyGenerators({ ...this.state(), sequential: 1, adversarial: 0 }, record);
  }

  sequential(): string {
    const n = this.sequentialNext++;
    return this.record ? zOrderRecord(n - 1, this.record.fields.length) : `user:${n}`;
  }

  random(): string {
    if (this.record) {
      const values: number[] = [];
      for (let i = 0; i < this.record.fields.length; i++) values.push(this.prng.int(65536));
      return values.join(',');
    }
    const hi = this.prng.nextU32().toString(16).padStart(8, '0');
    const lo = (this.prng.nextU32() & 0xffff).toString(16).padStart(4, '0');
    return `rand:${hi}${lo}`;
  }

  /** The next colliding key; `tries` counts the hash evaluations of the search (for progress and budgets). */
  adversarial(t: CollisionTarget, tries?: { n: number }): string {
    if (t.javaStrings && !this.record) return javaFamilyKey(this.adversarialNext++ % JAVA_FAMILY_SIZE);
    const bucket = t.bucketOf(this.target);
    for (;;) {
      const key = this.random();
      if (tries) tries.n++;
      if (t.bucketOf(t.hash(key)) === bucket) {
        this.adversarialNext++;
        return key;
      }
    }
  }
}

/** Key i of the family: bit b of i picks "BB" or "Aa" for block b; 31·'A' + 'a' = 31·'B' + 'B'. */
export function javaFamilyKey(i: number): string {
  let s = '';
  for (let b = JAVA_FAMILY_BLOCKS - 1; b >= 0; b--) s += (i >>> b) & 1 ? 'BB' : 'Aa';
  return s;
}

/** Point i of the Z-order curve in `dims` dimensions: bit b of i is bit ⌊b/dims⌋ of field b mod dims. */
export function zOrderRecord(i: number, dims: number): string {
  const v = new Array<number>(dims).fill(0);
  for (let b = 0; b < 32 && 2 ** b <= i; b++) if (Math.floor(i / 2 ** b) % 2 === 1) v[b % dims]! += 2 ** Math.floor(b / dims);
  return v.join(',');
}
