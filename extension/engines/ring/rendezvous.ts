/**
 * `rendezvous`: highest random weight (Thaler & Ravishankar). Every server scores every key and
 * the highest score wins; the next highest are the replicas. Adding a server moves only the keys
 * it now outscores everyone on; removing or failing one moves only its keys, each to its own
 * runner-up. The price is a lookup in O(servers).
 *
 * Score: fmix32(hash(key) XOR seed), seed = fmix32(hash(name)). For a fixed key, fmix32 is a
 * bijection, so servers with distinct seeds never tie. Weighted servers use the logarithmic method
 * (Schindelhauer & Schomaker): score = −w / ln(u), u the 32-bit score mapped into (0, 1), which
 * gives each server a share proportional to its weight and stays monotone. Ties (servers whose
 * names hash alike) go to the lower name.
 */
import type { RunContext } from '../core/model';
import { fmix32, hasher } from '../hashing';
import { Scheme, SchemeLayout, SchemeOptions, inChunks } from './scheme';
import { ServerSpec, nameRanks } from './servers';

// Bound once: a transpiled import is a property read (a getter under CommonJS) on every call, and
// this one runs servers × keys times.
const mix = fmix32;

export class RendezvousScheme implements Scheme {
  readonly name = 'rendezvous' as const;
  readonly keyHash;
  private readonly seeds: Uint32Array;
  private readonly ranks: Int32Array;
  private readonly weights: Float64Array;
  /** Indices of live servers: failed ones simply do not compete. */
  private readonly live: Int32Array;
  private readonly weighted: boolean;

  constructor(readonly servers: readonly ServerSpec[], opts: SchemeOptions) {
    this.keyHash = opts.hash;
    const hash = hasher(opts.hash);
    this.seeds = Uint32Array.from(servers, (s) => fmix32(hash(s.name)));
    this.ranks = nameRanks(servers);
    this.weights = Float64Array.from(servers, (s) => s.weight);
    this.live = Int32Array.from(servers.flatMap((s, i) => (s.alive ? [i] : [])));
    this.weighted = servers.some((s) => s.weight !== servers[0]!.weight);
  }

  /** Server i's score for a key hash, comparable across servers. */
  score(hash: number, i: number): number {
    const u = mix(hash ^ this.seeds[i]!);
    return this.weighted ? -this.weights[i]! / Math.log((u + 0.5) / 4294967296) : u;
  }

  owner(hash: number): number {
    if (this.weighted) return this.weightedOwner(hash);
    const { live, seeds, ranks } = this;
    let best = -1;
    let bestScore = -1;
    for (let k = 0; k < live.length; k++) {
      const i = live[k]!;
      const s = mix(hash ^ seeds[i]!);
      if (s > bestScore || (s === bestScore && ranks[i]! < ranks[best]!)) {
        best = i;
        bestScore = s;
      }
    }
    return best;
  }

  private weightedOwner(hash: number): number {
    let best = -1;
    let bestScore = -Infinity;
    for (const i of this.live) {
      const s = this.score(hash, i);
      if (s > bestScore || (s === bestScore && this.ranks[i]! < this.ranks[best]!)) {
        best = i;
        bestScore = s;
      }
    }
    return best;
  }

  preference(hash: number, count: number): number[] {
    const scores = this.servers.map((_, i) => this.score(hash, i));
    const order = this.servers.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]! || this.ranks[a]! - this.ranks[b]!);
    return order.slice(0, count);
  }

  assign(hashes: Uint32Array, out: Int32Array, ctx: RunContext): boolean {
    return inChunks(hashes.length, ctx, (from, to) => {
      for (let i = from; i < to; i++) out[i] = this.owner(hashes[i]!);
    });
  }

  get memoryBytes(): number {
    return this.seeds.byteLength + this.ranks.byteLength + this.weights.byteLength + this.live.byteLength;
  }

  layout(): SchemeLayout {
    return { kind: 'none', pointsPerServer: new Int32Array(this.servers.length) };
  }
}
