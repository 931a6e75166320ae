/**
 * Where things sit on the ring drawing. A 32-bit hash h is at h / 2³² of a full turn, clockwise
 * from 12 o'clock (protocol/ring.ts). Pure functions, shared by the SVG and canvas drawings.
 */
import type { RingLayoutPart } from '../../extension/protocol/ring';

const TURN = 4294967296;

export const turnsOf = (hash: number): number => hash / TURN;

/** Point at `turns` of a full turn (clockwise from 12 o'clock) on a circle of radius r around (cx, cy). */
export function polar(cx: number, cy: number, r: number, turns: number): [number, number] {
  const a = turns * 2 * Math.PI;
  return [cx + r * Math.sin(a), cy - r * Math.cos(a)];
}

/** SVG path of a band between radii r0 < r1 from turn t0 clockwise to t1 (t1 > t0, at most one turn). */
export function bandPath(cx: number, cy: number, r0: number, r1: number, t0: number, t1: number): string {
  const span = t1 - t0;
  if (span >= 1 - 1e-9) {
    // A full circle cannot be one arc command: two half bands.
    return `${bandPath(cx, cy, r0, r1, t0, t0 + 0.5)} ${bandPath(cx, cy, r0, r1, t0 + 0.5, t0 + 1 - 1e-9)}`;
  }
  const large = span > 0.5 ? 1 : 0;
  const [ax, ay] = polar(cx, cy, r1, t0);
  const [bx, by] = polar(cx, cy, r1, t1);
  const [c2x, c2y] = polar(cx, cy, r0, t1);
  const [dx, dy] = polar(cx, cy, r0, t0);
  const f = (n: number): string => n.toFixed(2);
  return `M${f(ax)} ${f(ay)}A${r1} ${r1} 0 ${large} 1 ${f(bx)} ${f(by)}L${f(c2x)} ${f(c2y)}A${r0} ${r0} 0 ${large} 0 ${f(dx)} ${f(dy)}Z`;
}

/** One stretch of the circle served by one owner (-1: no live server), from turn t0 clockwise to t1. */
export interface Arc {
  t0: number;
  t1: number;
  owner: number;
}

/**
 * The arcs of a circle layout, adjacent arcs of one owner merged. With every point in the view,
 * point k owns (point k−1, point k] and a failed point's arc goes to the next live point
 * clockwise; otherwise the per-bin owners stand in. Tables are drawn from their bins.
 */
export function arcsOf(layout: RingLayoutPart): Arc[] {
  const raw: Arc[] = [];
  const pts = layout.points;
  if (layout.kind === 'circle' && pts && pts.positions.length > 0) {
    const n = pts.positions.length;
    const live = liveOwners(pts.owners, layout);
    for (let k = 0; k < n; k++) {
      const t1 = turnsOf(pts.positions[k]!);
      const t0 = k === 0 ? turnsOf(pts.positions[n - 1]!) - 1 : turnsOf(pts.positions[k - 1]!);
      raw.push({ t0, t1, owner: live[k]! });
    }
  } else if (layout.arcs) {
    const bins = layout.arcs.length;
    layout.arcs.forEach((owner, b) => raw.push({ t0: b / bins, t1: (b + 1) / bins, owner }));
  }
  const merged: Arc[] = [];
  for (const a of raw) {
    const last = merged[merged.length - 1];
    if (last && last.owner === a.owner && Math.abs(last.t1 - a.t0) < 1e-12) last.t1 = a.t1;
    else merged.push({ ...a });
  }
  return merged;
}

/** For each point, the live server that serves its arc: itself, or the next live point clockwise. */
function liveOwners(owners: readonly number[], layout: RingLayoutPart): Int32Array {
  const alive = (o: number): boolean => layout.servers[o]?.alive === true;
  const out = new Int32Array(owners.length);
  // Walking backwards, `next` is the nearest live point at or after k; past the last point it wraps to the first live one.
  let next = owners.find(alive) ?? -1;
  for (let k = owners.length - 1; k >= 0; k--) {
    if (alive(owners[k]!)) next = owners[k]!;
    out[k] = next;
  }
  return out;
}

/**
 * The turn of the first point at or clockwise after `hash` placed by server `owner` (by index
 * into the layout's servers): where a key of that owner is served on the circle. Undefined when
 * the layout carries no points or the server has none.
 */
export function servingTurn(layout: RingLayoutPart, owner: number, hash: number): number | undefined {
  const pts = layout.points;
  if (!pts || owner < 0) return undefined;
  const n = pts.positions.length;
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (pts.positions[mid]! < hash) lo = mid + 1;
    else hi = mid;
  }
  for (let k = 0; k < n; k++) {
    const i = (lo + k) % n;
    if (pts.owners[i] === owner) return turnsOf(pts.positions[i]!) + (lo + k >= n ? 1 : 0);
  }
  return undefined;
}

/** Where a scheme without geometry keeps server i of n: evenly spaced stations around the ring. */
export const stationTurn = (i: number, n: number): number => (n > 0 ? (i + 0.5) / n : 0);

/** A key dot's radius: spread across a band by the hash's low bits, so close keys do not stack. */
export function dotRadius(hash: number, inner: number, outer: number): number {
  return inner + ((hash & 0xff) / 255) * (outer - inner);
}

/** The drawing's radii in a 480 × 480 box around (240, 240), shared by the SVG and canvas rings. */
export const R = {
  size: 480,
  c: 240,
  /** Server stations for schemes without geometry, and their labels. */
  station: 212,
  stationLabel: 228,
  tickOuter: 203,
  tickInner: 189,
  bandOuter: 187,
  bandInner: 169,
  /** Moved keys travel just inside the band. */
  travel: 163,
  dotOuter: 156,
  dotInner: 104,
  /** Key density bars (large rings) grow outward from here. */
  densityInner: 100,
  /** The headline text in the middle stays within this radius. */
  centre: 92,
} as const;
