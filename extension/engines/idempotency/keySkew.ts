/**
 * Which key (account) each produced message is for: Zipf-distributed over `keys` keys, where
 * key rank r has weight 1 / r^skew. Skew 0 is uniform; at 1 the hottest key of 8 gets 37% of the
 * traffic; at 2, 65%. Hot keys are what limit per-key lanes: one key's messages run one at a time.
 */
import type { Prng } from '../core/prng';

export class KeySkew {
  private readonly cdf: Float64Array;

  constructor(readonly keys: number, readonly skew: number) {
    if (!Number.isInteger(keys) || keys < 1) throw new RangeError(`KeySkew: need at least one key, got ${keys}`);
    if (!(skew >= 0) || !Number.isFinite(skew)) throw new RangeError(`KeySkew: skew must be ≥ 0, got ${skew}`);
    const w = Array.from({ length: keys }, (_, r) => 1 / Math.pow(r + 1, skew));
    const sum = w.reduce((a, b) => a + b, 0);
    this.cdf = new Float64Array(keys);
    let acc = 0;
    for (let r = 0; r < keys; r++) this.cdf[r] = acc += w[r]! / sum;
    this.cdf[keys - 1] = 1;
  }

  /** Share of all traffic that goes to key rank r (0 = hottest). */
  share(rank: number): number {
    return this.cdf[rank]! - (rank > 0 ? this.cdf[rank - 1]! : 0);
  }

  /** A key rank, 0 … keys-1. */
  sample(rng: Prng): number {
    const u = rng.next();
    let lo = 0;
    let hi = this.keys - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cdf[mid]! > u) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

export const keyName = (rank: number): string => `acct-${rank + 1}`;
