/**
 * A recognised hash measured with the hashing engine: when the code is a published function the
 * engine implements, its distribution on the standard key plan beside FNV-1a's and Murmur3's.
 * An unnamed hand-written function is not run here (that is "Use Selection as Hash Function",
 * which needs a trusted workspace).
 */
import { HASH_INFO, isHashName } from '../../engines/hashing';
import type { HashFunctionParams } from '../finding';
import { keyPlan } from '../distribution/keyPlan';
import { type DistributionReport, distributionReport, engineHashes, REFERENCE_HASHES } from '../distribution/report';
import { count, type Measured, type Measurement } from './measurement';

export interface HashFunctionMeasured extends Measured {
  reports: DistributionReport[];
}

export function measureHashFunction(p: HashFunctionParams): HashFunctionMeasured {
  if (p.known === null || !isHashName(p.known)) {
    const why = p.known === null
      ? 'It is not a published function the engines implement, so its spread is not measured here.'
      : `The engines have no implementation of ${p.known}, so its spread is not measured here.`;
    return {
      measurements: [],
      reports: [],
      missing: [p.callable ? `${why} Run "Use Selection as Hash Function" (trusted workspaces) to measure the selected code itself.` : why],
    };
  }
  const plan = keyPlan();
  const names = [p.known, ...REFERENCE_HASHES.filter((h) => h !== p.known)];
  const reports = names.map((h) => distributionReport(HASH_INFO[h].label, plan, engineHashes(h, plan)));
  const method = `${count(plan.distribution)} keys (user:0… and random strings), ${plan.avalancheKeys} × ${plan.variantsPerKey} one-bit changes`;
  const measurements: Measurement[] = reports.flatMap((r, i) => {
    const id = i === 0 ? 'selected' : names[i]!;
    return [
      { id: `${id}-collisions`, label: `${r.label}: keys sharing a 32-bit hash`, value: r.collisions, display: count(r.collisions), engine: 'hashing' as const, method },
      { id: `${id}-chi-square-p`, label: `${r.label}: p-value of the spread over ${r.buckets} buckets (uniform: not small)`, value: r.chiSquarePValue, display: r.chiSquarePValue < 0.001 ? r.chiSquarePValue.toExponential(1) : r.chiSquarePValue.toFixed(3), engine: 'hashing' as const, method },
      { id: `${id}-avalanche-bias`, label: `${r.label}: worst output bit's flip probability off 0.5`, value: r.avalanche.worstBias, display: r.avalanche.worstBias.toFixed(3), engine: 'hashing' as const, method },
    ];
  });
  return { measurements, reports, missing: [] };
}
