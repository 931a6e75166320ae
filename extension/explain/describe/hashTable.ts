import type { HashTableParams } from '../finding';
import { find, type Measured } from '../measure/measurement';
import type { Description } from './description';

export function describeHashTable(p: HashTableParams, m: Measured): Description {
  const settings = [p.capacity !== null ? `initial capacity ${p.capacity}` : null, p.loadFactor !== null ? `load factor ${p.loadFactor}` : null].filter(Boolean).join(', ');
  let summary = p.implementation === 'custom'
    ? `A hand-written hash table${p.collision ? ` using ${p.collision.replace('-', ' ')}` : ''}${settings ? ` (${settings})` : ''}.`
    : `A ${p.implementation}${settings ? ` with ${settings}` : ''}.`;
  const resizes = find(m, 'resizes');
  const presized = find(m, 'resizes-presized');
  const moved = find(m, 'keys-moved');
  if (resizes && presized && moved)
    summary += ` Filled with as many entries as its capacity, it resized ${resizes.display} time${resizes.value === 1 ? '' : 's'} and rehashed ${moved.display} keys on the way; sized for them up front it resizes ${presized.display} times.`;
  const probes = find(m, 'miss-probes');
  const ref = find(m, 'miss-probes-075');
  if (probes && ref) summary += ` At its load factor a lookup for a missing key probes ${probes.display} slots on average, against ${ref.display} at 0.75.`;
  return { title: p.implementation === 'custom' ? 'Hand-written hash table' : `${p.implementation.replace(/^java\.util\.(concurrent\.)?/, '')} sizing`, summary };
}
