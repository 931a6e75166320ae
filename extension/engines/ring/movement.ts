/**
 * What a membership change did to a key set: how many keys moved, against the least any scheme
 * must move, which moves were unnecessary, and the from → to matrix; and how even the load is.
 */
import type { MembershipChange, MovementReport } from '../../protocol/ring';
import { RING_LIMITS } from '../../protocol/ring';
import type { KeySet } from './keySet';
import { ServerSpec, weightShares } from './servers';

export interface Placement {
  servers: readonly ServerSpec[];
  /** Server index per key, -1 when no server was live. */
  owners: Int32Array;
}

export interface Balance {
  total: number;
  counts: Int32Array;
  /** Each server's fair number of keys given its weight (0 when failed). */
  expected: Float64Array;
  maxOverMean: number;
  cv: number;
}

/** Keys per server; max/mean and CV are over count/expected of live servers, so weights are accounted for. */
export function balanceOf(p: Placement): Balance {
  const counts = new Int32Array(p.servers.length);
  let total = 0;
  for (const o of p.owners) if (o >= 0) { counts[o]!++; total++; }
  const shares = weightShares(p.servers);
  const expected = Float64Array.from(shares, (s) => s * total);
  let n = 0;
  let sum = 0;
  let sumSq = 0;
  let max = 0;
  expected.forEach((e, i) => {
    if (e <= 0) return;
    const r = counts[i]! / e;
    n++;
    sum += r;
    sumSq += r * r;
    if (r > max) max = r;
  });
  const mean = n ? sum / n : 0;
  const variance = n ? Math.max(0, sumSq / n - mean * mean) : 0;
  return { total, counts, expected, maxOverMean: max, cv: mean ? Math.sqrt(variance) / mean : 0 };
}

/**
 * The least fraction of keys any placement must move for this change: the total increase of the
 * weight shares, Σ max(0, after − before). 1/(N+1) when adding one of N+1 equal servers, 1/N when
 * removing or failing one of N, 0 when only the scheme, the hash or the vnodes changed.
 */
export function idealFraction(before: readonly ServerSpec[], after: readonly ServerSpec[]): number {
  const b = weightShares(before);
  const a = weightShares(after);
  const shareBefore = new Map(before.map((s, i) => [s.name, b[i]!]));
  let ideal = 0;
  after.forEach((s, i) => { ideal += Math.max(0, a[i]! - (shareBefore.get(s.name) ?? 0)); });
  // Summing shares leaves float dust (0.24999999999999994 for 1/4); twelve digits are plenty.
  return Math.round(ideal * 1e12) / 1e12;
}

export interface ChangeInfo {
  change: MembershipChange;
  label: string;
  server?: string;
}

/**
 * Compares two placements of the same keys. With `keys` given and a small set, the report names
 * every moved key, and `movedOut` (if given) receives their indices.
 */
export function movementReport(info: ChangeInfo, before: Placement, after: Placement, keys?: KeySet, movedOut?: number[]): MovementReport {
  const total = before.owners.length;
  if (after.owners.length !== total) throw new Error(`movementReport: ${total} owners before but ${after.owners.length} after`);
  const names = before.servers.map((s) => s.name);
  const index = new Map(names.map((n, i) => [n, i]));
  for (const s of after.servers) if (!index.has(s.name)) { index.set(s.name, names.length); names.push(s.name); }
  // Owner o maps to column map[o + 1]; owner -1 (no live server) to the extra column `none`.
  const none = names.length;
  const width = none + 1;
  const fromIdx = Int32Array.from([none, ...before.servers.map((s) => index.get(s.name)!)]);
  const toIdx = Int32Array.from([none, ...after.servers.map((s) => index.get(s.name)!)]);
  // A move is wrong when both ends were live before and are live after: nothing forced it.
  const liveBefore = new Set(before.servers.filter((s) => s.alive).map((s) => s.name));
  const stable = new Uint8Array(width);
  for (const s of after.servers) if (s.alive && liveBefore.has(s.name)) stable[index.get(s.name)!] = 1;

  const counts = new Int32Array(width * width);
  let moved = 0;
  let wrong = 0;
  const movedAt: number[] = [];
  const listKeys = keys !== undefined && total <= RING_LIMITS.maxDotsInView;
  const b = before.owners;
  const a = after.owners;
  for (let i = 0; i < total; i++) {
    const f = fromIdx[b[i]! + 1]!;
    const t = toIdx[a[i]! + 1]!;
    if (f === t) continue;
    moved++;
    if (stable[f] && stable[t]) wrong++;
    counts[f * width + t]!++;
    if (listKeys) movedAt.push(i);
  }
  const flat: number[] = [];
  counts.forEach((c, k) => { if (c) flat.push(Math.floor(k / width), k % width, c); });
  if (flat.some((v, i) => i % 3 < 2 && v === none)) names.push('—');
  const report: MovementReport = {
    ...info,
    total,
    moved,
    fraction: total ? moved / total : 0,
    ideal: idealFraction(before.servers, after.servers),
    wrongMoves: wrong,
    names,
    matrix: flat,
  };
  if (listKeys) {
    const all = keys.slice(0, total);
    const nameOf = (servers: readonly ServerSpec[], o: number): string => servers[o]?.name ?? '—';
    report.movedKeys = movedAt.map((i) => ({ key: all[i]!, from: nameOf(before.servers, before.owners[i]!), to: nameOf(after.servers, after.owners[i]!) }));
    movedOut?.push(...movedAt);
  }
  return report;
}
