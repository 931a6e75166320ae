/**
 * How well a hash spreads keys, from its outputs on a key plan: the collision rate of the full
 * 32-bit values against what an ideal hash would give, a chi-square test of the spread over
 * buckets against uniform, and avalanche (the chance that each output bit flips when one input bit
 * does; an ideal hash flips every output bit half the time).
 */
import { hasher, type HashName } from '../../engines/hashing';
import type { KeyPlan } from './keyPlan';
import { chiSquarePValue, expectedCollisions } from './statistics';

export interface DistributionReport {
  label: string;
  keys: number;
  /** Keys whose 32-bit hash equals an earlier key's, and that count over the keys. */
  collisions: number;
  collisionRate: number;
  /** What an ideal 32-bit hash would average on as many distinct keys. */
  expectedCollisions: number;
  /** Spread over `buckets` by h mod buckets, the way a hash table reduces it. */
  buckets: number;
  chiSquare: number;
  /** P(χ² ≥ observed) under uniformity: below 0.001, the spread is clearly not uniform. */
  chiSquarePValue: number;
  /** Largest bucket over the mean. */
  maxOverMean: number;
  avalanche: {
    /** Mean over output bits of P(bit flips | one input bit flipped); ideal 0.5. */
    meanFlip: number;
    /** max over output bits of |P − 0.5|; an ideal hash stays within sampling noise (~0.02 here). */
    worstBias: number;
    samples: number;
  };
}

export const REPORT_BUCKETS = 1024;

export function distributionReport(label: string, plan: KeyPlan, hashes: Uint32Array): DistributionReport {
  if (hashes.length !== plan.keys.length) throw new RangeError(`distributionReport: ${hashes.length} hashes for ${plan.keys.length} keys`);
  const n = plan.distribution;
  const seen = new Set<number>();
  let collisions = 0;
  const counts = new Uint32Array(REPORT_BUCKETS);
  for (let i = 0; i < n; i++) {
    const h = hashes[i]!;
    if (seen.has(h)) collisions++;
    else seen.add(h);
    counts[h % REPORT_BUCKETS]!++;
  }
  const mean = n / REPORT_BUCKETS;
  let chi = 0;
  let max = 0;
  for (const c of counts) {
    chi += (c - mean) ** 2 / mean;
    if (c > max) max = c;
  }
  const flips = new Float64Array(32);
  let samples = 0;
  for (let k = 0; k < plan.avalancheKeys; k++) {
    const at = plan.avalancheBase + k * (1 + plan.variantsPerKey);
    const base = hashes[at]!;
    for (let v = 1; v <= plan.variantsPerKey; v++) {
      const diff = (base ^ hashes[at + v]!) >>> 0;
      for (let b = 0; b < 32; b++) if ((diff >>> b) & 1) flips[b]!++;
      samples++;
    }
  }
  let meanFlip = 0;
  let worstBias = 0;
  for (let b = 0; b < 32; b++) {
    const p = samples ? flips[b]! / samples : 0;
    meanFlip += p / 32;
    worstBias = Math.max(worstBias, Math.abs(p - 0.5));
  }
  return {
    label, keys: n, collisions, collisionRate: collisions / n, expectedCollisions: expectedCollisions(n, 2 ** 32),
    buckets: REPORT_BUCKETS, chiSquare: chi, chiSquarePValue: chiSquarePValue(chi, REPORT_BUCKETS - 1), maxOverMean: max / mean,
    avalanche: { meanFlip, worstBias, samples },
  };
}

/** Hashes every key of the plan with one of the engine's functions. */
export function engineHashes(name: HashName, plan: KeyPlan): Uint32Array {
  const h = hasher(name);
  return Uint32Array.from(plan.keys, (k) => h(k));
}

/** The references a user's or a recognised hash is compared with. */
export const REFERENCE_HASHES: readonly HashName[] = ['fnv1a32', 'murmur3_32'];
