/**
 * `ring`: the textbook consistent hash ring. Each server of weight w gets round(vnodes·w) virtual
 * nodes (at least one) at hash("name#i") on the 32-bit circle; a key belongs to the first virtual
 * node clockwise from hash(key). Adding a server moves only the keys its new vnodes take over;
 * removing one moves only its own keys; a failed server's vnodes are skipped, so its keys go to
 * the next live vnode clockwise and come back on recovery.
 */
import { UserError } from '../core/model';
import { hashAll } from '../hashing';
import { RING_LIMITS } from '../../protocol/ring';
import { CircleScheme } from './circleScheme';
import type { RawPoints } from './pointCircle';
import type { SchemeOptions } from './scheme';
import type { ServerSpec } from './servers';

export function vnodeCount(weight: number, vnodes: number): number {
  return Math.max(1, Math.round(vnodes * weight));
}

const NAME_CHUNK = 16_384;

/** Virtual nodes at hash("name#i") for every server, failed ones included (they keep their place). */
export function vnodePoints(servers: readonly ServerSpec[], opts: SchemeOptions): RawPoints {
  const counts = servers.map((s) => vnodeCount(s.weight, opts.vnodes));
  const total = counts.reduce((a, b) => a + b, 0);
  if (total > RING_LIMITS.maxPoints)
    throw new UserError(`That makes ${total.toLocaleString('en-US')} virtual nodes; the inspector handles up to ${RING_LIMITS.maxPoints.toLocaleString('en-US')}. Use fewer virtual nodes per server, lower weights or fewer servers.`);
  const positions = new Uint32Array(total);
  const owners = new Int32Array(total);
  // Names are hashed in chunks: a hash from the user's code runs in its sandbox a batch at a time.
  const names: string[] = [];
  let hashed = 0;
  const flush = (): void => {
    positions.set(hashAll(opts.hash, names), hashed);
    hashed += names.length;
    names.length = 0;
  };
  servers.forEach((s, i) => {
    for (let v = 0; v < counts[i]!; v++) {
      owners[hashed + names.length] = i;
      names.push(`${s.name}#${v}`);
      if (names.length === NAME_CHUNK) flush();
    }
  });
  flush();
  return { positions, owners };
}

export function buildRing(servers: readonly ServerSpec[], opts: SchemeOptions): CircleScheme {
  return new CircleScheme('ring', opts.hash, servers, vnodePoints(servers, opts));
}
