/**
 * Plays the keys a membership change moved: each moved key travels from where its old owner
 * served it to where its new owner does, in the old owner's colour until it lands. On a circle
 * that is along the circle, from the old serving point to the new one (clockwise to the next live
 * point when a server fails); for schemes without geometry it flies between the servers' stations.
 * With reduced motion nothing travels; the moved dots keep their highlight either way.
 */
import type { MovementReport, RingKeysPart, RingLayoutPart } from '../../extension/protocol/ring';
import { servingTurn, stationTurn, turnsOf } from './geometry';

const DURATION_MS = 1400;
/** Travelling dots drawn at most: beyond this the moves are sampled evenly (the report has the counts). */
export const MAX_TRAVELLERS = 400;

/** One moved key's trip. Ends are turns on the circle, or station turns flown through the middle. */
export interface Trip {
  key: string;
  hash: number;
  /** Colour slots of the old and new owner (-1 for none). */
  fromColor: number;
  toColor: number;
  kind: 'circle' | 'chord';
  from: number;
  to: number;
}

export class MoveAnimation {
  trips = $state<Trip[]>([]);
  /** 0…1 through the trip; 1 when at rest. */
  t = $state(1);
  /** Moved keys in all, when more than the trips drawn. */
  sampledFrom = $state(0);
  private frame = 0;

  play(movement: MovementReport | null | undefined, keys: RingKeysPart, layout: RingLayoutPart, before: RingLayoutPart | undefined): void {
    this.stop();
    const moved = movement?.movedKeys;
    const dots = keys.dots;
    if (!movement || !moved || moved.length === 0 || !dots) {
      this.trips = [];
      this.t = 1;
      return;
    }
    const hashOf = new Map<string, number>();
    dots.keys.forEach((k, i) => { if (dots.moved[i]) hashOf.set(k, dots.hashes[i]!); });
    const n = Math.min(moved.length, MAX_TRAVELLERS);
    const trips: Trip[] = [];
    for (let j = 0; j < n; j++) {
      const m = moved[Math.floor((j * moved.length) / n)]!;
      const hash = hashOf.get(m.key);
      if (hash !== undefined) trips.push(tripOf(m, hash, layout, before));
    }
    this.trips = trips;
    this.sampledFrom = moved.length > trips.length ? moved.length : 0;
    if (matchMedia('(prefers-reduced-motion: reduce)').matches || trips.length === 0) {
      this.t = 1;
      return;
    }
    // The clock starts at the first frame: drawing the new view may hold the main thread a while.
    let start = -1;
    this.t = 0;
    const tick = (now: number): void => {
      if (start < 0) start = now;
      const t = Math.min(1, (now - start) / DURATION_MS);
      this.t = t;
      this.frame = t < 1 ? requestAnimationFrame(tick) : 0;
    };
    this.frame = requestAnimationFrame(tick);
  }

  stop(): void {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
  }
}

/** Index of the server named `name` in a layout, and its colour slot. */
function find(layout: RingLayoutPart | undefined, name: string): { index: number; color: number } | undefined {
  const index = layout ? layout.servers.findIndex((s) => s.name === name) : -1;
  return index >= 0 ? { index, color: layout!.servers[index]!.color } : undefined;
}

function tripOf(m: { key: string; from: string; to: string }, hash: number, layout: RingLayoutPart, before: RingLayoutPart | undefined): Trip {
  const here = turnsOf(hash);
  // The old owner is in the current layout unless it was removed; then the layout before has it.
  const fromNow = find(layout, m.from);
  const fromBefore = fromNow ? undefined : find(before, m.from);
  const to = find(layout, m.to);
  const fromColor = fromNow?.color ?? fromBefore?.color ?? -1;
  const toColor = to?.color ?? -1;
  if (layout.kind === 'circle') {
    const a = fromNow ? servingTurn(layout, fromNow.index, hash) : fromBefore ? servingTurn(before!, fromBefore.index, hash) : undefined;
    const b = to ? servingTurn(layout, to.index, hash) : undefined;
    return { key: m.key, hash, fromColor, toColor, kind: 'circle', from: a ?? here, to: b ?? here };
  }
  const a = fromNow ? stationTurn(fromNow.index, layout.servers.length) : fromBefore ? stationTurn(fromBefore.index, before!.servers.length) : here;
  const b = to ? stationTurn(to.index, layout.servers.length) : here;
  return { key: m.key, hash, fromColor, toColor, kind: 'chord', from: a, to: b };
}

/** Ease in and out, so a trip starts and lands gently. */
export const ease = (t: number): number => (t < 0.5 ? 2 * t * t : 1 - (-2 * t + 2) ** 2 / 2);

/**
 * Turn (circle trips) along the shorter way from `from` to `to`: a failed server's keys go
 * clockwise to the next live point, an added server's come back counter-clockwise to it.
 */
export function turnAt(trip: Trip, t: number): number {
  let d = (trip.to - trip.from) % 1;
  if (d > 0.5) d -= 1;
  if (d < -0.5) d += 1;
  return trip.from + d * ease(t);
}
