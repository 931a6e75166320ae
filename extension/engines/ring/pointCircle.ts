/**
 * Points on the 32-bit circle, each owned by a server: the structure behind `ring`, `ketama` and
 * `bounded`. A key is owned by the first point at or after its hash, wrapping past 2³² − 1 to the
 * first point.
 *
 * Lookups stay on typed arrays: sorted positions in a Uint32Array, a bucket index over the top bits
 * of the hash that narrows the binary search to a point or two, and the first live owner at or
 * after every point precomputed, so a lookup with failed servers costs the same as without.
 */
import type { ServerSpec } from './servers';

/** Positions of points, unsorted, with the server index owning each. */
export interface RawPoints {
  positions: Uint32Array;
  owners: Int32Array;
}

const RANK_SCALE = 2 ** 20;

export class PointCircle {
  readonly size: number;
  private readonly index: Uint32Array;
  private readonly shift: number;
  private readonly liveOwner: Int32Array;

  private constructor(
    readonly positions: Uint32Array,
    readonly owners: Int32Array,
    private readonly servers: readonly ServerSpec[],
  ) {
    this.size = positions.length;
    const bits = Math.max(1, Math.min(20, Math.ceil(Math.log2(this.size + 1))));
    this.shift = 32 - bits;
    this.index = bucketIndex(positions, bits);
    this.liveOwner = firstLiveOwners(owners, servers);
  }

  /**
   * Sorts the points by position; two points at the same position are ordered by their servers'
   * name ranks, so the order of the server list never decides a tie.
   */
  static build(raw: RawPoints, servers: readonly ServerSpec[], ranks: Int32Array): PointCircle {
    const n = raw.positions.length;
    const packed = new Float64Array(n);
    for (let i = 0; i < n; i++) packed[i] = raw.positions[i]! * RANK_SCALE + ranks[raw.owners[i]!]!;
    packed.sort();
    const byRank = new Int32Array(servers.length);
    ranks.forEach((r, serverIndex) => { byRank[r] = serverIndex; });
    const positions = new Uint32Array(n);
    const owners = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const pos = Math.floor(packed[i]! / RANK_SCALE);
      positions[i] = pos;
      owners[i] = byRank[packed[i]! - pos * RANK_SCALE]!;
    }
    return new PointCircle(positions, owners, servers);
  }

  /** Index of the first point at or after `hash`, wrapping to 0; -1 on an empty circle. */
  find(hash: number): number {
    const n = this.size;
    if (n === 0) return -1;
    const b = hash >>> this.shift;
    let lo = this.index[b]!;
    let hi = this.index[b + 1]!;
    const pos = this.positions;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (pos[mid]! < hash) lo = mid + 1;
      else hi = mid;
    }
    return lo === n ? 0 : lo;
  }

  /** The first live server clockwise from `hash`, or -1. */
  owner(hash: number): number {
    const i = this.find(hash);
    return i < 0 ? -1 : this.liveOwner[i]!;
  }

  /** The first live server at or after point `i`. */
  liveOwnerAt(i: number): number {
    return this.liveOwner[i]!;
  }

  /** Distinct servers clockwise from `hash`, failed ones included, up to `count`. */
  preference(hash: number, count: number): number[] {
    const out: number[] = [];
    const start = this.find(hash);
    if (start < 0) return out;
    const want = Math.min(count, this.servers.length);
    for (let k = 0; k < this.size && out.length < want; k++) {
      const o = this.owners[(start + k) % this.size]!;
      if (!out.includes(o)) out.push(o);
    }
    return out;
  }

  get memoryBytes(): number {
    return this.positions.byteLength + this.owners.byteLength + this.liveOwner.byteLength + this.index.byteLength;
  }

  pointsPerServer(): Int32Array {
    const counts = new Int32Array(this.servers.length);
    for (const o of this.owners) counts[o]!++;
    return counts;
  }
}

/** index[b] = first point whose position's top `bits` bits are ≥ b; index[2^bits] = n. */
function bucketIndex(positions: Uint32Array, bits: number): Uint32Array {
  const buckets = 2 ** bits;
  const shift = 32 - bits;
  const index = new Uint32Array(buckets + 1);
  let p = 0;
  for (let b = 0; b <= buckets; b++) {
    while (p < positions.length && positions[p]! >>> shift < b) p++;
    index[b] = p;
  }
  return index;
}

/** For every point, the first live owner at or after it going clockwise (-1 if none is live). */
function firstLiveOwners(owners: Int32Array, servers: readonly ServerSpec[]): Int32Array {
  const n = owners.length;
  const live = new Int32Array(n).fill(-1);
  let next = -1;
  // Two laps backwards: the first finds the live owner that wraps around past the end.
  for (let k = 2 * n - 1; k >= 0; k--) {
    const i = k % n;
    if (servers[owners[i]!]!.alive) next = owners[i]!;
    live[i] = next;
  }
  return live;
}
