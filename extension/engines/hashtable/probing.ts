/**
 * Where open addressing looks next. Each sequence visits every slot of its table within `size`
 * probes, so a lookup always ends (the table keeps at least one slot empty):
 * - linear: home + i;
 * - triangular (quadratic on power-of-two sizes): home + i(i+1)/2, a permutation of 0…2^k−1;
 * - alternating (quadratic on primes p ≡ 3 mod 4): home + 1², home − 1², home + 2², home − 2², …,
 *   whose ±i² for i ≤ (p−1)/2 cover every residue;
 * - double hashing: home + i·step, with a step from a second mix of the hash that is odd on
 *   power-of-two sizes and in 1…p−1 on primes, so always coprime with the size.
 */
import * as hashing from '../hashing';

// Bound locally: under tsx (CommonJS) an imported binding is a getter, a call per probe.
const { fmix32 } = hashing;

export type ProbeKind = 'linear' | 'triangular' | 'alternating' | 'double';

const LINEAR = 0;
const TRIANGULAR = 1;
const ALTERNATING = 2;
const DOUBLE = 3;
const CODES: Record<ProbeKind, number> = { linear: LINEAR, triangular: TRIANGULAR, alternating: ALTERNATING, double: DOUBLE };

/** Why the double-hashing step differs from the home: a second, independent-looking mix of the hash. */
const STEP_SALT = 0x9e3779b9;

export class ProbeSequence {
  /** size − 1 for power-of-two sizes, −1 for others. */
  readonly mask: number;
  private readonly code: number;

  constructor(readonly size: number, readonly kind: ProbeKind) {
    const pow2 = (size & (size - 1)) === 0;
    this.mask = pow2 ? size - 1 : -1;
    this.code = CODES[kind];
    if (kind === 'triangular' && !pow2) throw new RangeError(`triangular probing needs a power-of-two size, not ${size}`);
    if (kind === 'alternating' && size % 4 !== 3) throw new RangeError(`alternating quadratic probing needs a prime size ≡ 3 (mod 4), not ${size}`);
  }

  /** The slot a hash maps to. */
  home(hash: number): number {
    return this.mask >= 0 ? hash & this.mask : hash % this.size;
  }

  /** Double hashing's step for this hash (0 for the other kinds, which do not use it). */
  step(hash: number): number {
    if (this.code !== DOUBLE) return 0;
    const h2 = fmix32((hash ^ STEP_SALT) >>> 0);
    return this.mask >= 0 ? (h2 & this.mask) | 1 : 1 + (h2 % (this.size - 1));
  }

  /** The i-th slot (i = 0 is home) of the sequence starting at `home`. */
  at(home: number, i: number, step: number): number {
    const size = this.size;
    switch (this.code) {
      case LINEAR: {
        const j = home + i;
        return j < size ? j : j % size;
      }
      case TRIANGULAR:
        return (home + (i * (i + 1)) / 2) & this.mask;
      case DOUBLE:
        return this.mask >= 0 ? (home + i * step) & this.mask : (home + i * step) % size;
      default: {
        const k = (i + 1) >>> 1;
        const off = (k * k) % size;
        return i & 1 ? (home + off) % size : (home - off + size) % size;
      }
    }
  }

  /** How many slots back from `slot` its home is, for linear sequences (Robin Hood's displacement). */
  distance(home: number, slot: number): number {
    return slot >= home ? slot - home : slot + this.size - home;
  }
}
