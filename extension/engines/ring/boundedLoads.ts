/**
 * `bounded`: consistent hashing with bounded loads (Mirrokni, Thorup & Zadimoghaddam, SODA 2018).
 * The circle is `ring`'s; each live server of weight w may hold at most
 * ⌈(1 + ε) · m · w / W⌉ of the m keys. Keys are placed one at a time in insertion order: a key
 * whose clockwise server is full is forwarded to the next point clockwise whose server still has
 * room. No server ends above (1 + ε) times its share.
 *
 * Where a key lands depends on the keys placed before it, so `owner()` of a single hash answers
 * "where would one more key go" against the loads of the last `assign()`. The scheme is not
 * monotone: a change of membership changes the capacities and the forwarding chains, and keys move
 * between servers that stayed (Mirrokni et al. bound the expected moves, they do not avoid them).
 */
import type { RunContext } from '../core/model';
import { CircleScheme } from './circleScheme';
import { vnodePoints } from './consistentRing';
import { SchemeOptions, inChunks } from './scheme';
import type { ServerSpec } from './servers';

export class BoundedLoadsScheme extends CircleScheme {
  private loads: Int32Array;
  private capacities: Float64Array;

  constructor(servers: readonly ServerSpec[], readonly options: SchemeOptions) {
    super('bounded', options.hash, servers, vnodePoints(servers, options));
    this.loads = new Int32Array(servers.length);
    this.capacities = capacities(servers, 1, options.epsilon);
  }

  override owner(hash: number): number {
    const i = this.circle.find(hash);
    return i < 0 ? -1 : this.forward(i);
  }

  /** The key's server first, then the distinct servers after its point clockwise. */
  override preference(hash: number, count: number): number[] {
    const first = this.owner(hash);
    if (first < 0) return this.circle.preference(hash, count);
    return [first, ...this.circle.preference(hash, count + 1).filter((s) => s !== first)].slice(0, count);
  }

  override assign(hashes: Uint32Array, out: Int32Array, ctx: RunContext): boolean {
    const m = hashes.length;
    this.loads = new Int32Array(this.servers.length);
    this.capacities = capacities(this.servers, m, this.options.epsilon);
    return inChunks(m, ctx, (from, to) => {
      for (let k = from; k < to; k++) {
        const i = this.circle.find(hashes[k]!);
        const o = i < 0 ? -1 : this.forward(i);
        out[k] = o;
        if (o >= 0) this.loads[o]!++;
      }
    });
  }

  /** Capacities for the key count of the last assign. */
  capacity(server: number): number {
    return this.capacities[server]!;
  }

  /** The first live server with room, from point `i` clockwise. Total capacity exceeds the key count, so one exists. */
  private forward(i: number): number {
    const n = this.circle.size;
    for (let k = 0; k < n; k++) {
      const o = this.circle.owners[(i + k) % n]!;
      if (this.servers[o]!.alive && this.loads[o]! < this.capacities[o]!) return o;
    }
    return this.circle.liveOwnerAt(i);
  }
}

/** ⌈(1 + ε) · m · w / W⌉ for live servers, 0 for failed ones. */
function capacities(servers: readonly ServerSpec[], m: number, epsilon: number): Float64Array {
  let total = 0;
  for (const s of servers) if (s.alive) total += s.weight;
  return Float64Array.from(servers, (s) => (s.alive ? Math.ceil(((1 + epsilon) * m * s.weight) / total) : 0));
}
