/**
 * A consistent-hash setup measured on the ring engine: how evenly its servers share the keys with
 * the code's virtual nodes, the same with 160, and how many keys move when one server joins.
 */
import type { HashRingParams } from '../finding';
import type { SchemeName } from '../../protocol/ring';
import { count, type Measured, percent, times } from './measurement';
import { engineHash, RING_VNODES } from './moduloSharding';
import { placement, SAMPLE_KEYS, serverNames } from './ringPlacement';

export const EXAMPLE_SERVERS = 4;

/** Points per server as the ring engine counts them: hashring's "vnode count" makes four points each. */
export function pointsPerServer(p: HashRingParams): number | null {
  if (p.vnodes === null) return null;
  const points = p.library === 'hashring' ? p.vnodes * 4 : p.vnodes;
  return p.scheme === 'ketama' ? Math.max(4, Math.round(points / 4) * 4) : points;
}

export function measureHashRing(p: HashRingParams): Measured {
  const missing: string[] = [];
  const n = p.serverCount !== null && p.serverCount >= 2 && p.serverCount <= 1000 ? p.serverCount : EXAMPLE_SERVERS;
  if (p.serverCount === null || p.serverCount < 2) missing.push(`The selection does not list the servers; the numbers use ${EXAMPLE_SERVERS} as an example.`);
  const servers = serverNames(n, p.servers);
  const scheme: SchemeName = p.scheme;
  const hash = engineHash(p.hash);
  const points = pointsPerServer(p);
  const method = `${count(SAMPLE_KEYS)} generated keys, ${n} servers, ${scheme === 'ketama' ? 'MD5 (ketama)' : hash}`;
  const measurements: Measured['measurements'] = [];
  const own = placement(scheme, servers, { hash, ...(points !== null ? { vnodes: points } : {}) });
  const label = points !== null && scheme !== 'jump' && scheme !== 'rendezvous' ? ` with ${points} points per server` : '';
  measurements.push({ id: 'balance', label: `largest server load over the mean${label}`, value: own.maxOverMean, display: times(own.maxOverMean), engine: 'ring', method });
  measurements.push({ id: 'moved-on-add', label: `keys moved when server ${n + 1} joins${label}`, value: own.movedOnAdd, display: percent(own.movedOnAdd), engine: 'ring', method });
  measurements.push({ id: 'moved-ideal', label: 'the least any scheme must move, 1/(n+1)', value: own.idealOnAdd, display: percent(own.idealOnAdd), engine: 'ring', method });
  if ((scheme === 'ring' || scheme === 'ketama') && points !== null && points < RING_VNODES) {
    const better = placement(scheme, servers, { hash, vnodes: RING_VNODES });
    measurements.push({ id: 'balance-160', label: `largest server load over the mean with ${RING_VNODES} points per server`, value: better.maxOverMean, display: times(better.maxOverMean), engine: 'ring', method });
  }
  const modulo = placement('modulo', servers, { hash });
  measurements.push({ id: 'moved-on-add-modulo', label: `for contrast, hash % n moves when server ${n + 1} joins`, value: modulo.movedOnAdd, display: percent(modulo.movedOnAdd), engine: 'ring', method });
  return { measurements, missing };
}
