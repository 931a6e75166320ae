/**
 * The hash table engine against the built-in Map, on 1,000,000 keys, all measured in one run.
 *
 * - String keys ("user:1" … "user:1000000"): the fast path (no recording; default settings:
 *   linear probing, MurmurHash3, power-of-two sizes, max load 0.75, all-at-once rehash) inserting
 *   every key and then looking each one up, against Map.set + Map.get (and Set.add + Set.has, the
 *   closest built-in to a table of keys). Target: ≥ 0.5× Map's throughput. Every strategy is shown.
 * - Integer keys (a permutation of [0, 2^30), small integers, Map's best case): the typed-array
 *   IntTable against Map<number, number> and Set<number>. Target: ≥ 2× Map's throughput.
 * - Recording: the same string inserts with every probe, move and resize recorded, against the
 *   fast path. Target: at most 3× slower.
 * - Pauses: the costliest single insert of the million, in work units and wall time, with
 *   all-at-once and incremental rehashing.
 *
 *   npm run bench -- table          (TABLE_BENCH_KEYS, TABLE_BENCH_RUNS to change sizes)
 *
 * Contenders take turns within each round, so load from other processes falls on all of them alike.
 */
import { HashTable, IntTable, OpRecorder, type TableSettings } from '../extension/engines/hashtable';
import { hasher } from '../extension/engines/hashing';
import { DEFAULT_CONFIG, STRATEGIES, STRATEGY_LABELS } from '../extension/protocol/hashtable';
import { fmt, median, printTable } from './stats';

const N = Number(process.env['TABLE_BENCH_KEYS'] ?? 1_000_000);
const RUNS = Number(process.env['TABLE_BENCH_RUNS'] ?? 7);

const { strategy, sizes, initialSize, maxLoad, minLoad, growth, rehash, rehashBatch, deletion } = DEFAULT_CONFIG;
const defaults: TableSettings = { strategy, sizes, initialSize, maxLoad, minLoad, growth, rehash, rehashBatch, deletion };
const murmur = hasher(DEFAULT_CONFIG.hash, DEFAULT_CONFIG.seed);

const strings = Array.from({ length: N }, (_, i) => `user:${i + 1}`);
// An odd multiplier permutes [0, 2^30): distinct small integers in a scattered order.
const ints = Array.from({ length: N }, (_, i) => Math.imul(i, 0x9e3779b1) & 0x3fffffff);

/** Keeps results alive so nothing is optimised away. */
let sink = 0;

function stringTable(settings: TableSettings, rec: OpRecorder | null = null): () => void {
  return () => {
    const t = new HashTable(settings, murmur);
    for (let i = 0; i < N; i++) t.insert(strings[i]!, rec);
    let found = 0;
    for (let i = 0; i < N; i++) if (t.has(strings[i]!, rec)) found++;
    rec?.clear();
    sink += found;
  };
}

function insertsOnly(rec: OpRecorder | null): () => void {
  return () => {
    const t = new HashTable(defaults, murmur);
    for (let i = 0; i < N; i++) t.insert(strings[i]!, rec);
    sink += t.count + (rec?.length ?? 0);
    rec?.clear();
  };
}

function mapOf<K>(keys: K[]): () => void {
  return () => {
    const m = new Map<K, number>();
    for (let i = 0; i < N; i++) m.set(keys[i]!, i);
    let s = 0;
    for (let i = 0; i < N; i++) s += m.get(keys[i]!)!;
    sink += s;
  };
}

function setOf<K>(keys: K[]): () => void {
  return () => {
    const m = new Set<K>();
    for (let i = 0; i < N; i++) m.add(keys[i]!);
    let found = 0;
    for (let i = 0; i < N; i++) if (m.has(keys[i]!)) found++;
    sink += found;
  };
}

function intTable(): void {
  const t = new IntTable();
  for (let i = 0; i < N; i++) t.add(ints[i]!);
  let found = 0;
  for (let i = 0; i < N; i++) if (t.has(ints[i]!)) found++;
  sink += found;
}

const opsPerSec = (ms: number): string => `${fmt(Math.round((2 * N) / (ms / 1000) / 1000))}k ops/s`;
const verdict = (ok: boolean): string => (ok ? 'pass' : 'MISS');

/**
 * Times contenders in rounds, each once per round in turn, so a noisy, shared machine slows them
 * alike; the ratio to the baseline (the first) is the median of the per-round ratios.
 */
function rounds(contenders: Record<string, () => void>): Map<string, { ms: number; ratio: number }> {
  const names = Object.keys(contenders);
  for (const n of names) contenders[n]!(); // warm-up
  const times = new Map(names.map((n) => [n, [] as number[]]));
  for (let r = 0; r < RUNS; r++) {
    for (const n of names) {
      (globalThis as { gc?: () => void }).gc?.();
      const t0 = performance.now();
      contenders[n]!();
      times.get(n)!.push(performance.now() - t0);
    }
  }
  const base = times.get(names[0]!)!;
  return new Map(names.map((n) => [n, { ms: median(times.get(n)!), ratio: median(times.get(n)!.map((t, r) => base[r]! / t)) }]));
}

console.log(`${fmt(N)} keys; ${RUNS} rounds after a warm-up, contenders taking turns within each round; medians.`);
console.log(`Throughput counts ${fmt(N)} inserts + ${fmt(N)} lookups; "vs Map" is Map's time over the contender's (higher is faster).\n`);

// ── string keys ──
const stringRuns = rounds({
  'Map<string> set + get': mapOf(strings),
  'Set<string> add + has': setOf(strings),
  ...Object.fromEntries(STRATEGIES.map((st) => [`fast path, ${STRATEGY_LABELS[st]}${st === defaults.strategy ? ' (default)' : ''}`, stringTable({ ...defaults, strategy: st })])),
});
console.log('String keys');
printTable([...stringRuns].map(([name, r]) => {
  const isDefault = name.endsWith('(default)');
  return { case: name, ms: r.ms, throughput: opsPerSec(r.ms), 'vs Map': `${r.ratio.toFixed(2)}×`, target: isDefault ? '≥ 0.50×' : '', verdict: isDefault ? verdict(r.ratio >= 0.5) : '' };
}));

// ── integer keys ──
const intRuns = rounds({ 'Map<number> set + get': mapOf(ints), 'Set<number> add + has': setOf(ints), 'IntTable (typed array, linear probing)': intTable });
console.log('\nInteger keys');
printTable([...intRuns].map(([name, r]) => {
  const isEngine = name.startsWith('IntTable');
  return { case: name, ms: r.ms, throughput: opsPerSec(r.ms), 'vs Map': `${r.ratio.toFixed(2)}×`, target: isEngine ? '≥ 2.00×' : '', verdict: isEngine ? verdict(r.ratio >= 2) : '' };
}));

// ── recording vs fast path ──
const recRuns = rounds({
  'inserts, fast path': insertsOnly(null),
  'inserts, recording': insertsOnly(new OpRecorder()),
});
const recBothRuns = rounds({
  'inserts + lookups, fast path': stringTable(defaults),
  'inserts + lookups, recording': stringTable(defaults, new OpRecorder()),
});
console.log('\nRecording path (every probe, move and resize kept) vs fast path, string keys, default settings');
printTable([...recRuns, ...recBothRuns].map(([name, r]) => {
  const recording = name.endsWith('recording');
  return { case: name, ms: r.ms, slowdown: `${(1 / r.ratio).toFixed(2)}×`, target: recording ? '≤ 3.00×' : '', verdict: recording ? verdict(1 / r.ratio <= 3) : '' };
}));

// ── pauses ──
console.log('\nThe costliest single insert of the million (one run each)');
const pauseRows: Record<string, string | number>[] = [];
for (const mode of ['all-at-once', 'incremental'] as const) {
  const t = new HashTable({ ...defaults, rehash: mode }, murmur);
  let worstMs = 0;
  for (let i = 0; i < N; i++) {
    const t0 = performance.now();
    t.insert(strings[i]!);
    const dt = performance.now() - t0;
    if (dt > worstMs) worstMs = dt;
  }
  pauseRows.push({ rehash: mode, 'worst op (work units)': t.stats.maxOpWork, 'longest rehash pause (work units)': t.stats.maxPause, 'worst op (ms, GC included)': worstMs, resizes: t.stats.resizeCount, 'rehash work in all': t.stats.resizeWork });
}
printTable(pauseRows);
console.log(`\n(checksum ${sink})`);
