/**
 * The same key set under every scheme, side by side: how many keys move when a server is added and
 * when the last one is removed (against the ideal), how even the load is, how long a lookup takes
 * and how much memory the lookup structure holds. Failed servers are left out: the comparison is
 * about the live cluster.
 */
import type { Clock } from '../core/clock';
import type { RunContext } from '../core/model';
import { UserError } from '../core/model';
import { ComparisonRow, SCHEME_NAMES, SchemeName } from '../../protocol/ring';
import type { KeySet } from './keySet';
import { Placement, balanceOf, movementReport } from './movement';
import { Router } from './router';
import { SchemeOptions, phase } from './scheme';
import { SCHEMES } from './schemes';
import type { ServerSpec } from './servers';

/**
 * Lookups per timing run; enough for a stable median, small enough to stay quick. A small key set
 * is cycled through until there are this many, or the first scheme would be timed while the key
 * hash is still being compiled.
 */
const TIMED_KEYS = 20_000;
const TIMING_RUNS = 3;

export interface ComparisonInput {
  servers: readonly ServerSpec[];
  options: SchemeOptions;
  keys: KeySet;
}

export interface ComparisonResult {
  rows: ComparisonRow[];
  /** True when cancelled before every scheme was measured. */
  partial: boolean;
}

/** ketama needs a multiple of 4 points per server: the nearest one to the session's vnodes. */
export function ketamaPoints(vnodes: number): number {
  return Math.max(4, Math.round(vnodes / 4) * 4);
}

/** A name for the added server that no existing server has. */
function freshName(servers: readonly ServerSpec[]): string {
  const taken = new Set(servers.map((s) => s.name));
  let i = servers.length + 1;
  while (taken.has(`new-${i}`)) i++;
  return `new-${i}`;
}

export function compareSchemes(input: ComparisonInput, clock: Clock, ctx: RunContext, schemes: readonly SchemeName[] = SCHEME_NAMES): ComparisonResult {
  const live = input.servers.filter((s) => s.alive);
  if (live.length < 2) throw new UserError('Comparing schemes needs at least two live servers (one is removed to measure the moves). Add or recover servers first.');
  if (input.keys.size === 0) throw new UserError('Comparing schemes needs keys to route. Insert keys first.');
  const first = input.keys.slice(0, Math.min(TIMED_KEYS, input.keys.size));
  const sample = Array.from({ length: TIMED_KEYS }, (_, i) => first[i % first.length]!);
  // A hash from the user's code runs in its sandbox in batches: prepared here, its lookups time the schemes on memoised hashes.
  if (typeof input.options.hash !== 'string') input.options.hash.prime(first);
  const added = freshName(live);
  const removed = live[live.length - 1]!.name;
  const rows: ComparisonRow[] = [];
  for (let s = 0; s < schemes.length; s++) {
    const scheme = schemes[s]!;
    ctx.progress(s / schemes.length, `measuring ${scheme}`);
    const step = phase(ctx, s / schemes.length, (s + 1) / schemes.length, `measuring ${scheme}`);
    const options = scheme === 'ketama' ? { ...input.options, vnodes: ketamaPoints(input.options.vnodes) } : input.options;
    const row = measure(Router.build(scheme, live, options), input.keys, { added, removed, sample }, clock, step);
    if (!row) return { rows, partial: true };
    rows.push(row);
  }
  return { rows, partial: false };
}

function measure(
  base: Router,
  keys: KeySet,
  plan: { added: string; removed: string; sample: string[] },
  clock: Clock,
  ctx: RunContext,
): ComparisonRow | undefined {
  const place = (r: Router, from: number): Placement | undefined => {
    const owners = r.assign(keys, phase(ctx, from, from + 1 / 3));
    return owners && { servers: r.servers, owners };
  };
  const before = place(base, 0);
  const grown = place(base.add(plan.added), 1 / 3);
  const shrunk = place(base.remove(plan.removed), 2 / 3);
  if (!before || !grown || !shrunk) return undefined;
  const onAdd = movementReport({ change: 'add', label: `add ${plan.added}` }, before, grown);
  const onRemove = movementReport({ change: 'remove', label: `remove ${plan.removed}` }, before, shrunk);
  const balance = balanceOf(before);
  const times: number[] = [];
  let sink = 0;
  // One untimed pass first: the first scheme measured would otherwise pay for compiling the key hash.
  for (const k of plan.sample) sink += base.owner(k)?.length ?? 0;
  for (let run = 0; run < TIMING_RUNS; run++) {
    const t0 = clock.now();
    for (const k of plan.sample) sink += base.owner(k)?.length ?? 0;
    times.push(((clock.now() - t0) * 1e6) / plan.sample.length);
  }
  // `sink` keeps the lookups from being optimised away.
  if (sink < 0) throw new Error('unreachable');
  return {
    scheme: base.schemeName,
    movedOnAdd: onAdd.fraction,
    idealOnAdd: onAdd.ideal,
    wrongOnAdd: onAdd.wrongMoves,
    movedOnRemove: onRemove.fraction,
    idealOnRemove: onRemove.ideal,
    wrongOnRemove: onRemove.wrongMoves,
    maxOverMean: balance.maxOverMean,
    cv: balance.cv,
    lookupNs: times.sort((a, b) => a - b)[TIMING_RUNS >> 1]!,
    memoryBytes: base.scheme.memoryBytes,
    monotone: SCHEMES[base.schemeName].monotone,
  };
}
