/**
 * `ketama`: the libketama / memcached continuum, reproduced exactly.
 *
 * Each server gets ks = floorf(pct · 40.0 · (float)N) MD5 digests of "name-k" (k = 0 … ks − 1),
 * where pct = (float)weight / (float)total, and each digest gives four points (its 32-bit words,
 * little-endian): 160 points per server at equal weights. A key's position is its digest's first
 * word. `vnodes` / 4 replaces the 40 (so the default 160 is libketama's own).
 *
 * The float arithmetic matters: libketama computes pct in single precision, the product in double,
 * and floorf() rounds it back to single precision first. At equal weights that yields 39 digests
 * instead of 40 for some server counts (61, 122, 237, 244, 474, 488, 933, 948, 951, 953, 976 up
 * to 1000, checked against the C code compiled with gcc on x86-64). The npm `hashring` computes in
 * double only and gets 39 for other counts (7, 14, 28, 49, 56, 73, …). Either way, a server count
 * crossing such a value changes every server's points and moves keys between surviving servers,
 * so ketama is monotone only while the point counts stay put.
 */
import { UserError } from '../core/model';
import { RING_LIMITS } from '../../protocol/ring';
import { CircleScheme } from './circleScheme';
import { md5StringWords } from './md5';
import type { SchemeOptions } from './scheme';
import type { ServerSpec } from './servers';

/** MD5 digests per server, as libketama's single-precision formula gives them. */
export function ketamaDigestCounts(weights: readonly number[], digestsPerServer = 40): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  const n = weights.length;
  return weights.map((w) => {
    const pct = Math.fround(Math.fround(w) / Math.fround(total));
    return Math.floor(Math.fround(pct * digestsPerServer * Math.fround(n)));
  });
}

export function buildKetama(servers: readonly ServerSpec[], opts: SchemeOptions): CircleScheme {
  if (opts.vnodes % 4 !== 0)
    throw new UserError(`ketama places points four per MD5 digest, so its points per server must be a multiple of 4 (got ${opts.vnodes}). libketama uses 160.`);
  const digests = ketamaDigestCounts(servers.map((s) => s.weight), opts.vnodes / 4);
  const total = digests.reduce((a, b) => a + b, 0) * 4;
  if (total > RING_LIMITS.maxPoints)
    throw new UserError(`That makes ${total.toLocaleString('en-US')} ketama points; the inspector handles up to ${RING_LIMITS.maxPoints.toLocaleString('en-US')}. Use fewer points per server or fewer servers.`);
  const positions = new Uint32Array(total);
  const owners = new Int32Array(total);
  let p = 0;
  servers.forEach((s, i) => {
    for (let k = 0; k < digests[i]!; k++) {
      const words = md5StringWords(`${s.name}-${k}`);
      for (let h = 0; h < 4; h++, p++) {
        positions[p] = words[h]!;
        owners[p] = i;
      }
    }
  });
  return new CircleScheme('ketama', 'md5', servers, { positions, owners });
}
