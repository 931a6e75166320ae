/**
 * "Use Selection as Hash Function", the measuring half: the selected function hashes the standard
 * key plan in the sandbox, and its distribution (collisions, chi-square against uniform,
 * avalanche) is set beside FNV-1a's and Murmur3's on the very same keys.
 */
import type { Language } from '../language';
import { keyPlan } from '../distribution/keyPlan';
import { type DistributionReport, distributionReport, engineHashes, REFERENCE_HASHES } from '../distribution/report';
import { HASH_INFO } from '../../engines/hashing';
import { UserError } from '../../engines/core/model';
import { DEFAULT_LIMITS, hashInSandbox, type SandboxLimits } from './runInSandbox';
import { prepareUserFunction } from './userFunction';

export interface UserHashReport {
  /** The selected function's name. */
  name: string;
  selected: DistributionReport;
  /** FNV-1a and Murmur3 on the same keys. */
  references: DistributionReport[];
  /** One or two sentences comparing them. */
  verdict: string;
}

export async function measureSelectedHash(selection: string, lang: Language, limits: SandboxLimits = DEFAULT_LIMITS): Promise<UserHashReport> {
  if (lang !== 'typescript' && lang !== 'javascript')
    throw new UserError(`"Use Selection as Hash Function" runs JavaScript and TypeScript only; this selection is ${lang}. Select a JS or TS function.`);
  const fn = prepareUserFunction(selection, lang);
  const plan = keyPlan();
  const selected = distributionReport(fn.name, plan, await hashInSandbox(fn, plan.keys, limits));
  const references = REFERENCE_HASHES.map((h) => distributionReport(HASH_INFO[h].label, plan, engineHashes(h, plan)));
  return { name: fn.name, selected, references, verdict: verdict(selected, references) };
}

/** Plain words for the numbers: where the selection falls short of a reference on the same keys, if anywhere. */
export function verdict(r: DistributionReport, refs: DistributionReport[]): string {
  const criteria: { has: (x: DistributionReport) => boolean; say: (x: DistributionReport) => string }[] = [
    {
      has: (x) => x.collisions > Math.ceil(x.expectedCollisions) + 1,
      say: (x) => `${x.collisions.toLocaleString('en-US')} of ${x.keys.toLocaleString('en-US')} keys collide on the full 32-bit value (an ideal hash: about ${x.expectedCollisions.toFixed(2)})`,
    },
    {
      has: (x) => x.chiSquarePValue < 0.001,
      say: (x) => `keys spread unevenly over ${x.buckets} buckets (chi-square ${x.chiSquare.toFixed(0)}, p = ${x.chiSquarePValue.toExponential(1)}; the fullest bucket holds ${x.maxOverMean.toFixed(2)}× the mean)`,
    },
    {
      has: (x) => x.avalanche.worstBias > 0.1,
      say: (x) => `it avalanches poorly (a flipped input bit flips an output bit with probability ${x.avalanche.meanFlip.toFixed(2)} on average; the worst bit is off 0.5 by ${x.avalanche.worstBias.toFixed(2)})`,
    },
  ];
  const problems: string[] = [];
  const better = new Set<string>();
  for (const c of criteria) {
    if (!c.has(r)) continue;
    const clean = refs.filter((x) => !c.has(x));
    // A weakness the references share (FNV-1a's avalanche, say) is the keys', not the selection's fault.
    if (clean.length === 0) continue;
    problems.push(c.say(r));
    for (const x of clean) better.add(x.label);
  }
  if (problems.length === 0) return `${r.label} spreads these keys about as well as ${refs.map((x) => x.label).join(' and ')}.`;
  return `${r.label}: ${problems.join('; ')}. ${[...better].join(' and ')} ${better.size === 1 ? 'shows' : 'show'} none of this on the same keys.`;
}
