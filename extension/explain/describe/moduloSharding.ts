import type { ModuloShardingParams } from '../finding';
import { find, type Measured } from '../measure/measurement';
import { EXAMPLE_SHARDS, RING_VNODES } from '../measure/moduloSharding';
import { SAMPLE_KEYS } from '../measure/ringPlacement';
import type { Description } from './description';

export function describeModuloSharding(p: ModuloShardingParams, m: Measured): Description {
  const n = p.n ?? EXAMPLE_SHARDS;
  const modulo = find(m, 'moved-on-add-modulo');
  const ring = find(m, 'moved-on-add-ring');
  const ideal = find(m, 'moved-ideal');
  const hash = p.hash && !p.hashText.toLowerCase().includes(p.hash.toLowerCase()) ? ` (${p.hash})` : '';
  let summary = `Each key goes to shard ${p.hashText}${hash} % ${p.nText}: modulo sharding over ${p.n !== null ? `${p.n} shards` : 'a number of shards the code does not fix'}.`;
  if (modulo && ring && ideal) {
    // A weak hash (Java's hashCode on "s5#0", "s5#1", …) can bunch a server's virtual nodes together: then the ring misses its share too.
    const near = Math.abs(ring.value - ideal.value) <= 0.05;
    summary += ` With n = ${n}, adding a ${ordinal(n + 1)} server moves ${modulo.display} of keys (measured on ${SAMPLE_KEYS.toLocaleString('en-US')} sample keys); a ring with ${RING_VNODES} virtual nodes moves ${ring.display}, ` +
      (near ? `close to the ${ideal.display} the new server should take.` : `far from the ${ideal.display} the new server should take: this hash places the servers' virtual nodes unevenly, so the ring needs a better-mixing hash too.`);
  }
  return { title: `Modulo sharding over ${p.n ?? 'n'} shards`, summary };
}

export function ordinal(n: number): string {
  const words = ['zeroth', 'first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth'];
  if (n < words.length) return words[n]!;
  const s = n % 100 >= 11 && n % 100 <= 13 ? 'th' : ['th', 'st', 'nd', 'rd'][n % 10] ?? 'th';
  return `${n}${s}`;
}
