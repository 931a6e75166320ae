/**
 * Numbered buckets for the schemes that pick a bucket number (`modulo`, `jump`): a server of weight
 * w holds round(w) consecutive buckets (at least one), in list order. So these schemes, unlike the
 * name-based ones, depend on the order of the list, and removing a server renumbers every bucket
 * after it.
 */
import type { RunContext } from '../core/model';
import type { SchemeName } from '../../protocol/ring';
import { Scheme, SchemeLayout, SchemeOptions, inChunks } from './scheme';
import type { ServerSpec } from './servers';

export class Slots {
  /** Server index of each bucket. */
  readonly owners: Int32Array;
  /** The first live server at or after each bucket, wrapping around (-1 when none is live). */
  private readonly nextLive: Int32Array;

  constructor(readonly servers: readonly ServerSpec[]) {
    const counts = servers.map((s) => Math.max(1, Math.round(s.weight)));
    this.owners = new Int32Array(counts.reduce((a, b) => a + b, 0));
    let p = 0;
    counts.forEach((c, i) => { this.owners.fill(i, p, p + c); p += c; });
    const n = this.owners.length;
    this.nextLive = new Int32Array(n).fill(-1);
    let next = -1;
    for (let k = 2 * n - 1; k >= 0; k--) {
      const i = k % n;
      if (servers[this.owners[i]!]!.alive) next = this.owners[i]!;
      this.nextLive[i] = next;
    }
  }

  get count(): number {
    return this.owners.length;
  }

  /** The bucket's server if live, else the next live one after it. */
  liveAt(bucket: number): number {
    return this.nextLive[bucket]!;
  }

  isLive(bucket: number): boolean {
    return this.servers[this.owners[bucket]!]!.alive;
  }

  /** Adds the bucket's server to `out` unless it is there already. */
  collect(bucket: number, out: number[]): void {
    const o = this.owners[bucket]!;
    if (!out.includes(o)) out.push(o);
  }

  /** Collects distinct servers bucket by bucket from `start` (wrapping) until `out` has `want`. */
  collectFrom(start: number, want: number, out: number[]): void {
    const n = this.owners.length;
    for (let k = 0; k < n && out.length < want; k++) this.collect((start + k) % n, out);
  }

  get memoryBytes(): number {
    return this.owners.byteLength + this.nextLive.byteLength;
  }

  pointsPerServer(): Int32Array {
    const counts = new Int32Array(this.servers.length);
    for (const o of this.owners) counts[o]!++;
    return counts;
  }
}

/** What `modulo` and `jump` share: buckets over the list; each picks a bucket its own way. */
export abstract class SlotScheme implements Scheme {
  abstract readonly name: SchemeName;
  readonly keyHash;
  protected readonly slots: Slots;

  constructor(readonly servers: readonly ServerSpec[], opts: SchemeOptions) {
    this.keyHash = opts.hash;
    this.slots = new Slots(servers);
  }

  abstract owner(hash: number): number;
  abstract preference(hash: number, count: number): number[];

  assign(hashes: Uint32Array, out: Int32Array, ctx: RunContext): boolean {
    return inChunks(hashes.length, ctx, (from, to) => {
      for (let i = from; i < to; i++) out[i] = this.owner(hashes[i]!);
    });
  }

  get memoryBytes(): number {
    return this.slots.memoryBytes;
  }

  layout(): SchemeLayout {
    return { kind: 'none', pointsPerServer: this.slots.pointsPerServer() };
  }
}
