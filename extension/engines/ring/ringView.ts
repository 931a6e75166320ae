/**
 * Renders a ring session's state into the view parts of protocol/ring.ts. Everything here is an
 * aggregate sized by the drawing, not by the data: 360 angular bins, at most 20,000 points, dots
 * only for small key sets.
 */
import {
  ProbePart, RING_LIMITS, RingKeysPart, RingLayoutPart, RingLoadPart, RingServerView, RingSettingsPart,
} from '../../protocol/ring';
import { HASH_NAMES, type ExternalHash } from '../hashing';
import { SELECTED_HASH } from '../hashing/selectedHashSource';
import type { KeySet } from './keySet';
import type { Balance } from './movement';
import type { Router } from './router';
import { SCHEMES } from './schemes';
import type { ServerSpec } from './servers';

const BINS = RING_LIMITS.angleBins;

export function settingsPart(router: Router, replicas: number, selected: ExternalHash | undefined): RingSettingsPart {
  const hash = router.options.hash;
  return {
    scheme: router.schemeName,
    hash: typeof hash === 'string' ? hash : SELECTED_HASH,
    ...(selected ? { customHashName: selected.label } : {}),
    vnodes: router.options.vnodes,
    replicas,
    epsilon: router.options.epsilon,
    schemes: Object.values(SCHEMES).map(({ name, label, description, monotone, usesVnodes, usesHash }) => ({ name, label, description, monotone, usesVnodes, usesHash })),
    hashes: selected ? [...HASH_NAMES, SELECTED_HASH] : HASH_NAMES,
  };
}

export function layoutPart(router: Router, palette: readonly string[]): RingLayoutPart {
  const layout = router.scheme.layout();
  const servers: RingServerView[] = router.servers.map((s, i) => ({
    name: s.name,
    weight: s.weight,
    alive: s.alive,
    color: palette.indexOf(s.name),
    points: layout.pointsPerServer[i]!,
  }));
  const part: RingLayoutPart = { scheme: router.schemeName, kind: layout.kind, servers, pointCount: 0 };
  if (layout.kind === 'circle' && layout.positions && layout.owners) {
    part.pointCount = layout.positions.length;
    if (layout.positions.length <= RING_LIMITS.maxPointsInView) part.points = { positions: Array.from(layout.positions), owners: Array.from(layout.owners) };
    part.arcs = circleBins(layout.positions, layout.owners, router.servers);
  } else if (layout.kind === 'table' && layout.owners) {
    part.pointCount = layout.owners.length;
    part.tableSize = layout.owners.length;
    part.arcs = tableBins(layout.owners, router.servers.length);
  }
  return part;
}

/**
 * The live owner of the arc at each bin's start (the first live point clockwise from it), so a
 * failed server's arcs already show who took them over.
 */
function circleBins(positions: Uint32Array, owners: Int32Array, servers: readonly ServerSpec[]): number[] {
  const n = positions.length;
  const out: number[] = [];
  let p = 0;
  for (let b = 0; b < BINS; b++) {
    const start = Math.ceil((b * 4294967296) / BINS);
    while (p < n && positions[p]! < start) p++;
    let owner = -1;
    for (let k = 0; k < n; k++) {
      const o = owners[(p + k) % n]!;
      if (servers[o]!.alive) { owner = o; break; }
    }
    out.push(owner);
  }
  return out;
}

/** The most frequent owner among each bin's slots. */
function tableBins(table: Int32Array, servers: number): number[] {
  const m = table.length;
  const counts = new Int32Array(servers + 1);
  const out: number[] = [];
  for (let b = 0; b < BINS; b++) {
    counts.fill(0);
    const from = Math.floor((b * m) / BINS);
    const to = Math.floor(((b + 1) * m) / BINS);
    let best = -1;
    for (let s = from; s < to; s++) {
      const c = ++counts[table[s]! + 1]!;
      if (best < 0 || c > counts[best + 1]!) best = table[s]!;
    }
    out.push(best);
  }
  return out;
}

/** Most (bin, owner) cells a keys part carries: fewer, wider bins when many servers share every bin. */
const MAX_CELLS = 20_000;

export function keysPart(keys: KeySet, hashes: Uint32Array, owners: Int32Array, servers: number, moved: ReadonlySet<number>): RingKeysPart {
  // Owner -1 (no live server) is column 0.
  const width = servers + 1;
  const bins = Math.max(36, Math.min(BINS, Math.floor(MAX_CELLS / width)));
  const grid = new Int32Array(bins * width);
  for (let i = 0; i < hashes.length; i++) grid[Math.floor((hashes[i]! / 4294967296) * bins) * width + owners[i]! + 1]!++;
  const cells: number[] = [];
  for (let b = 0; b < bins; b++) for (let o = 0; o < width; o++) { const c = grid[b * width + o]!; if (c) cells.push(b, o - 1, c); }
  const part: RingKeysPart = { total: hashes.length, bins, cells };
  if (hashes.length <= RING_LIMITS.maxDotsInView) {
    part.dots = {
      keys: keys.slice(0, hashes.length),
      hashes: Array.from(hashes),
      owners: Array.from(owners),
      moved: Array.from(owners, (_, i) => moved.has(i)),
    };
  }
  return part;
}

export function loadPart(b: Balance): RingLoadPart {
  return { total: b.total, counts: Array.from(b.counts), expected: Array.from(b.expected, (e) => Math.round(e * 100) / 100), maxOverMean: b.maxOverMean, cv: b.cv };
}

/** Walks the key's preference order until `replicas` live servers are found. */
export function probePart(router: Router, key: string, replicas: number): ProbePart {
  const hash = router.keyHash(key);
  const owner = router.scheme.owner(hash);
  const preference: ProbePart['preference'] = [];
  let live = 0;
  for (const [place, i] of router.scheme.preference(hash, router.servers.length).entries()) {
    if (live >= replicas) break;
    const s = router.servers[i]!;
    if (s.alive) live++;
    const role = !s.alive ? 'failed' : place >= replicas ? 'takeover' : place === 0 ? 'primary' : 'replica';
    preference.push({ server: s.name, alive: s.alive, role });
  }
  return { key, hash, owner: router.servers[owner]?.name ?? null, preference };
}
