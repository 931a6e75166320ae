/**
 * A scheme whose placement is a PointCircle: `ring` and `ketama` differ only in how they make the
 * points and hash the keys; `bounded` adds capacities on top (boundedLoads.ts).
 */
import type { RunContext } from '../core/model';
import type { SchemeName } from '../../protocol/ring';
import { PointCircle, RawPoints } from './pointCircle';
import { KeyHashName, Scheme, SchemeLayout, inChunks } from './scheme';
import { ServerSpec, nameRanks } from './servers';

export class CircleScheme implements Scheme {
  readonly circle: PointCircle;

  constructor(
    readonly name: SchemeName,
    readonly keyHash: KeyHashName,
    readonly servers: readonly ServerSpec[],
    points: RawPoints,
  ) {
    this.circle = PointCircle.build(points, servers, nameRanks(servers));
  }

  owner(hash: number): number {
    return this.circle.owner(hash);
  }

  preference(hash: number, count: number): number[] {
    return this.circle.preference(hash, count);
  }

  assign(hashes: Uint32Array, out: Int32Array, ctx: RunContext): boolean {
    const circle = this.circle;
    return inChunks(hashes.length, ctx, (from, to) => {
      for (let i = from; i < to; i++) out[i] = circle.owner(hashes[i]!);
    });
  }

  get memoryBytes(): number {
    return this.circle.memoryBytes;
  }

  layout(): SchemeLayout {
    return { kind: 'circle', positions: this.circle.positions, owners: this.circle.owners, pointsPerServer: this.circle.pointsPerServer() };
  }
}
