/**
 * A hash table's settings measured on the hash-table engine. For a Java map: filling it with as
 * many entries as the capacity asked for, how many resizes happen and how many keys they move,
 * against a table sized so that none is needed. For a hand-written open-addressing table: the
 * probes a lookup costs at the code's load factor against 0.75.
 */
import { hasher } from '../../engines/hashing';
import { HashTable, type TableSettings } from '../../engines/hashtable';
import type { Strategy } from '../../protocol/hashtable';
import type { HashTableParams } from '../finding';
import { count, type Measured, type Measurement } from './measurement';

const BASE: Omit<TableSettings, 'strategy' | 'initialSize' | 'maxLoad'> = { sizes: 'pow2', minLoad: 0, growth: 2, rehash: 'all-at-once', rehashBatch: 4, deletion: 'tombstone' };
const MAX_FILL = 1_000_000;
const PROBE_TABLE = 4096;
const PROBE_LOOKUPS = 2000;

const STRATEGY: Record<NonNullable<HashTableParams['collision']>, Strategy> = {
  chaining: 'chaining', 'linear-probing': 'linear', 'quadratic-probing': 'quadratic', 'double-hashing': 'double',
};

export function measureHashTable(p: HashTableParams): Measured {
  if (p.implementation.startsWith('java.util.') && p.implementation !== 'java.util.Hashtable' && p.implementation !== 'java.util.concurrent.ConcurrentHashMap')
    return measureJavaMap(p);
  if (p.implementation === 'custom' && p.collision && p.collision !== 'chaining' && p.loadFactor !== null) return measureProbing(p.collision, p.loadFactor);
  return {
    measurements: [],
    missing: [p.implementation === 'go map'
      ? "The hash-table engine models chaining and open addressing, not Go's bucketed map (8 slots per bucket, load 6.5), so its growth is not measured here."
      : p.implementation === 'custom'
        ? 'The code does not show both its collision strategy and its load factor, which the measurement needs.'
        : `The hash-table engine does not model ${p.implementation}'s sizing rules.`],
  };
}

function fill(settings: TableSettings, n: number): HashTable {
  const t = new HashTable(settings, hasher('java'));
  for (let i = 1; i <= n; i++) t.insert(`user:${i}`);
  return t;
}

function measureJavaMap(p: HashTableParams): Measured {
  if (p.capacity === null || p.capacity < 1) return { measurements: [], missing: ['The capacity is not a number the selection fixes, so the resize count is not measured.'] };
  const lf = p.loadFactor ?? 0.75;
  if (lf > 16 || lf < 0.05) return { measurements: [], missing: [`A load factor of ${lf} is outside what the engine simulates (0.05 to 16).`] };
  const entries = Math.min(MAX_FILL, Math.round(p.capacity));
  const asked = Math.max(2, 2 ** Math.ceil(Math.log2(Math.max(1, p.capacity))));
  const sized = Math.max(2, 2 ** Math.ceil(Math.log2(Math.ceil(entries / lf) + 1)));
  const settings = { ...BASE, strategy: 'chaining' as const, maxLoad: lf };
  const asWritten = fill({ ...settings, initialSize: Math.min(asked, 1 << 20) }, entries);
  const presized = fill({ ...settings, initialSize: Math.min(sized, 1 << 20) }, entries);
  const method = `${count(entries)} keys user:1…, Java String.hashCode, separate chaining, load factor ${lf}`;
  const moved = asWritten.stats.events.reduce((s, e) => s + e.keysMoved, 0);
  const measurements: Measurement[] = [
    { id: 'resizes', label: `resizes while ${count(entries)} entries go in (table of ${asked})`, value: asWritten.stats.resizeCount, display: count(asWritten.stats.resizeCount), engine: 'hashtable', method },
    { id: 'keys-moved', label: 'keys rehashed by those resizes', value: moved, display: count(moved), engine: 'hashtable', method },
    { id: 'longest-pause', label: 'the longest single insert (work units: slots touched + keys moved)', value: asWritten.stats.maxOpWork, display: count(asWritten.stats.maxOpWork), engine: 'hashtable', method },
    { id: 'resizes-presized', label: `resizes with a table sized for ${count(entries)} entries (${sized})`, value: presized.stats.resizeCount, display: count(presized.stats.resizeCount), engine: 'hashtable', method },
  ];
  return { measurements, missing: [] };
}

/** Mean probes of a lookup that misses, in a table filled to `lf` without resizing. */
function missProbesAt(strategy: Strategy, lf: number): number {
  const t = new HashTable({ ...BASE, strategy, initialSize: PROBE_TABLE, maxLoad: Math.min(0.95, lf + 0.01) }, hasher('murmur3_32'));
  const n = Math.floor(PROBE_TABLE * Math.min(0.95, lf));
  for (let i = 1; i <= n; i++) t.insert(`user:${i}`);
  let sum = 0;
  for (let i = 0; i < PROBE_LOOKUPS; i++) sum += t.missProbes(`absent:${i}`);
  return sum / PROBE_LOOKUPS;
}

function measureProbing(collision: NonNullable<HashTableParams['collision']>, lf: number): Measured {
  const strategy = STRATEGY[collision];
  const at = Math.min(0.95, lf);
  const method = `${PROBE_TABLE}-slot table, ${strategy} probing, murmur3_32, ${count(PROBE_LOOKUPS)} lookups of absent keys`;
  const mine = missProbesAt(strategy, at);
  const ref = missProbesAt(strategy, 0.75);
  const missing = lf > 0.95 ? [`Open addressing cannot run above a load of 0.95; the code's ${lf} was measured as 0.95.`] : [];
  return {
    measurements: [
      { id: 'miss-probes', label: `slots a missing key's lookup probes at load ${at}`, value: mine, display: mine.toFixed(1), engine: 'hashtable', method },
      { id: 'miss-probes-075', label: 'the same at load 0.75', value: ref, display: ref.toFixed(1), engine: 'hashtable', method },
    ],
    missing,
  };
}
