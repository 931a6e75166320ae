/**
 * Placement experiments on the ring engine shared by the modulo-sharding and hash-ring
 * explanations: how many of a fixed sample of keys move when one server joins, and how evenly a
 * scheme spreads them.
 */
import { noRunContext } from '../../engines/core/model';
import { balanceOf, KeySet, movementReport, Router, type SchemeOptions } from '../../engines/ring';
import type { SchemeName } from '../../protocol/ring';
import { RING_LIMITS } from '../../protocol/ring';

export const SAMPLE_KEYS = 100_000;
const SAMPLE_SEED = 1;
let sample: KeySet | undefined;

/** The same 100,000 generated keys for every experiment, so numbers compare across explanations. */
export function sampleKeys(): KeySet {
  sample ??= KeySet.empty.with({ kind: 'generated', seed: SAMPLE_SEED, count: SAMPLE_KEYS });
  return sample;
}

export function serverNames(n: number, given: string[] | null): string[] {
  const names = (given ?? []).filter((s, i, all) => s.trim() !== '' && !s.includes(',') && all.indexOf(s) === i).slice(0, n);
  for (let i = names.length; names.length < n; i++) if (!names.includes(`s${i + 1}`)) names.push(`s${i + 1}`);
  return names;
}

export interface PlacementResult {
  /** Fraction of the sample that moves when one server joins. */
  movedOnAdd: number;
  /** The least any scheme must move: 1/(n+1) for equal weights. */
  idealOnAdd: number;
  /** Largest server load over the mean before the change. */
  maxOverMean: number;
  cv: number;
}

export function placement(scheme: SchemeName, servers: string[], options: Partial<SchemeOptions>): PlacementResult {
  const keys = sampleKeys();
  const before = Router.build(scheme, servers, clampOptions(options));
  let extra = `s${servers.length + 1}`;
  for (let i = servers.length + 1; before.has(extra); i++) extra = `s${i + 1}`;
  const after = before.add(extra);
  const a = before.assign(keys, noRunContext)!;
  const b = after.assign(keys, noRunContext)!;
  const report = movementReport({ change: 'add', label: `add ${extra}`, server: extra }, { servers: before.servers, owners: a }, { servers: after.servers, owners: b });
  const balance = balanceOf({ servers: before.servers, owners: a });
  return { movedOnAdd: report.fraction, idealOnAdd: report.ideal, maxOverMean: balance.maxOverMean, cv: balance.cv };
}

function clampOptions(o: Partial<SchemeOptions>): Partial<SchemeOptions> {
  return o.vnodes === undefined ? o : { ...o, vnodes: Math.max(1, Math.min(RING_LIMITS.maxVnodes, Math.round(o.vnodes))) };
}
