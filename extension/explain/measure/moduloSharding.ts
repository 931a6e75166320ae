/**
 * Modulo sharding measured on the ring engine: the share of keys that move when one shard is
 * added under `hash % n`, against a ring with 160 virtual nodes and the ideal 1/(n+1).
 */
import { isHashName, type HashName } from '../../engines/hashing';
import type { ModuloShardingParams } from '../finding';
import { count, type Measured, percent, times } from './measurement';
import { placement, SAMPLE_KEYS, serverNames } from './ringPlacement';

/** Shard count used when the code does not fix one: an example, said so in the explanation. */
export const EXAMPLE_SHARDS = 4;
export const RING_VNODES = 160;

export function engineHash(hash: string | null): HashName {
  return hash !== null && isHashName(hash) ? hash : 'murmur3_32';
}

export function measureModuloSharding(p: ModuloShardingParams): Measured {
  const missing: string[] = [];
  const n = p.n !== null && Number.isInteger(p.n) && p.n >= 1 && p.n <= 1000 ? p.n : EXAMPLE_SHARDS;
  if (p.n === null) missing.push(`The shard count (${p.nText}) is not fixed in the selection; the numbers use n = ${EXAMPLE_SHARDS} as an example.`);
  const hash = engineHash(p.hash);
  if (p.hash !== hash) missing.push(`${p.hash === null ? 'The hash is not one the engines know' : `The ring engine has no ${p.hash}`}; keys are placed with ${hash} instead, which does not change how many move.`);
  const servers = serverNames(n, null);
  const method = `${count(SAMPLE_KEYS)} generated keys, ${hash}, ${n} → ${n + 1} servers`;
  const modulo = placement('modulo', servers, { hash });
  const ring = placement('ring', servers, { hash, vnodes: RING_VNODES });
  return {
    measurements: [
      { id: 'moved-on-add-modulo', label: `keys moved when server ${n + 1} joins (hash % n)`, value: modulo.movedOnAdd, display: percent(modulo.movedOnAdd), engine: 'ring', method },
      { id: 'moved-on-add-ring', label: `keys moved when server ${n + 1} joins (ring, ${RING_VNODES} vnodes)`, value: ring.movedOnAdd, display: percent(ring.movedOnAdd), engine: 'ring', method },
      { id: 'moved-ideal', label: 'the least any scheme must move, 1/(n+1)', value: modulo.idealOnAdd, display: percent(modulo.idealOnAdd), engine: 'ring', method },
      { id: 'balance-modulo', label: `largest shard over the mean with ${n} shards (hash % n)`, value: modulo.maxOverMean, display: times(modulo.maxOverMean), engine: 'ring', method },
    ],
    missing,
  };
}
