/**
 * Hash ring benchmark: the project's schemes against the npm `hashring` (ketama) and
 * `consistent-hash`, and against a minimal reference ring written here (a sorted Uint32Array of
 * vnode positions and a binary search, the practical limit of a ring lookup), on 1,000,000 keys
 * with 10 and 100 servers (160 vnodes where a scheme has them).
 *
 * Per contender: build time, lookups per second (key string → server name, hashing included),
 * memory (heap growth of one built instance), the fraction of keys moved by adding a server and by
 * removing the last one (against the ideal 1/(N+1) and 1/N), wrong moves (keys moved between two
 * servers present before and after), max/mean load, and whether an instance built independently
 * from the same list routes every key alike. Every figure is also printed as a ratio to the
 * reference ring measured in the same run.
 *
 *   npm run bench -- ring            (RING_BENCH_KEYS=200000 for a quicker run)
 */
import ConsistentHash from 'consistent-hash';
import HashRing from 'hashring';
import { hasher } from '../extension/engines/hashing';
import { noRunContext } from '../extension/engines/core/model';
import { KeySet, Router } from '../extension/engines/ring';
import type { SchemeName } from '../extension/protocol/ring';
import { fmt, median, printTable } from './stats';

const KEY_COUNT = Number(process.env.RING_BENCH_KEYS ?? 1_000_000);
const VNODES = 160;
const EPSILON = 0.25;
const RUNS = 3;
/** Keys per timed lookup pass: the rate is steady well before a million, and hashring's LRU makes a full pass slow. */
const TIMED_KEYS = 250_000;

/** A routing table over one server list; grow/shrink may mutate (the npm packages do). */
interface Routing {
  owner(key: string): string | undefined;
  /** All owners at once; defaults to a loop over owner(). */
  ownersOf?(keys: KeySet): string[];
  grow(name: string): Routing;
  shrink(name: string): Routing;
}

interface Contender {
  name: string;
  build(servers: string[]): Routing;
}

// ── The reference: what a ring lookup cannot beat by much ────────────────────────────────────────
const murmur = hasher('murmur3_32');

class ReferenceRing implements Routing {
  private readonly positions: Uint32Array;
  private readonly owners: Uint16Array;

  constructor(private readonly servers: string[]) {
    const points: [number, number][] = [];
    servers.forEach((s, i) => { for (let v = 0; v < VNODES; v++) points.push([murmur(`${s}#${v}`), i]); });
    points.sort((a, b) => a[0] - b[0] || servers[a[1]]!.localeCompare(servers[b[1]]!));
    this.positions = Uint32Array.from(points, (p) => p[0]);
    this.owners = Uint16Array.from(points, (p) => p[1]);
  }

  owner(key: string): string | undefined {
    const h = murmur(key);
    const pos = this.positions;
    let lo = 0;
    let hi = pos.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (pos[mid]! < h) lo = mid + 1;
      else hi = mid;
    }
    return this.servers[this.owners[lo === pos.length ? 0 : lo]!];
  }

  grow(name: string): Routing {
    return new ReferenceRing([...this.servers, name]);
  }

  shrink(name: string): Routing {
    return new ReferenceRing(this.servers.filter((s) => s !== name));
  }
}

// ── The npm packages, used as their READMEs show ─────────────────────────────────────────────────
class HashRingRouting implements Routing {
  constructor(private readonly ring: HashRing) {}
  owner(key: string): string | undefined { return this.ring.get(key); }
  grow(name: string): Routing { this.ring.add(name); return this; }
  shrink(name: string): Routing { this.ring.remove(name); return this; }
}

class ConsistentHashRouting implements Routing {
  constructor(private readonly ring: ConsistentHash) {}
  owner(key: string): string | undefined { return this.ring.get(key) ?? undefined; }
  grow(name: string): Routing { this.ring.add(name); return this; }
  shrink(name: string): Routing { this.ring.remove(name); return this; }
}

// ── The project's schemes ────────────────────────────────────────────────────────────────────────
class RouterRouting implements Routing {
  constructor(private readonly router: Router) {}
  owner(key: string): string | undefined { return this.router.owner(key); }
  ownersOf(keys: KeySet): string[] {
    const owners = this.router.assign(keys, noRunContext)!;
    return Array.from(owners, (i) => this.router.servers[i]!.name);
  }
  grow(name: string): Routing { return new RouterRouting(this.router.add(name)); }
  shrink(name: string): Routing { return new RouterRouting(this.router.remove(name)); }
}

const ours = (scheme: SchemeName): Contender => ({
  name: scheme,
  build: (servers) => new RouterRouting(Router.build(scheme, servers, { vnodes: VNODES, epsilon: EPSILON })),
});

const contenders: Contender[] = [
  { name: 'reference ring', build: (s) => new ReferenceRing(s) },
  { name: 'npm hashring', build: (s) => new HashRingRouting(new HashRing(s)) },
  {
    name: 'npm consistent-hash',
    build: (s) => {
      // 160 control points per node, and a range wide enough for 100 × 160 of them.
      const ring = new ConsistentHash({ weight: VNODES, range: 1_000_003 });
      for (const name of s) ring.add(name);
      return new ConsistentHashRouting(ring);
    },
  },
  ...(['ring', 'ketama', 'jump', 'rendezvous', 'maglev', 'bounded', 'modulo'] as const).map(ours),
];

// ── Measuring ────────────────────────────────────────────────────────────────────────────────────
interface Result {
  name: string;
  buildMs: number;
  lookupsPerSec: number;
  memoryBytes: number;
  movedAdd: number;
  wrongAdd: number;
  movedRemove: number;
  wrongRemove: number;
  maxOverMean: number;
  deterministic: string;
  owners: string[];
}

function ownersOf(r: Routing, keys: KeySet, list: string[]): string[] {
  return r.ownersOf ? r.ownersOf(keys) : list.map((k) => r.owner(k) ?? '—');
}

/** Heap and typed-array bytes held by one built instance: four are kept alive and averaged. */
function memoryOf(c: Contender, servers: string[]): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc (npm run bench does)');
  const bytes = (): number => { gc(); gc(); const m = process.memoryUsage(); return m.heapUsed + m.arrayBuffers; };
  const kept: Routing[] = [];
  const before = bytes();
  for (let i = 0; i < 4; i++) kept.push(c.build(servers));
  return Math.max(0, (bytes() - before) / kept.length);
}

function moves(before: string[], after: string[], stable: Set<string>): { moved: number; wrong: number } {
  let moved = 0;
  let wrong = 0;
  for (let i = 0; i < before.length; i++) {
    if (before[i] === after[i]) continue;
    moved++;
    if (stable.has(before[i]!) && stable.has(after[i]!)) wrong++;
  }
  return { moved: moved / before.length, wrong };
}

/** Everything but the timings: placement quality does not depend on the machine's load. */
function measurePlacement(c: Contender, servers: string[], keys: KeySet, list: string[]): Omit<Result, 'buildMs' | 'lookupsPerSec'> {
  const memoryBytes = memoryOf(c, servers);
  const instance = c.build(servers);
  const base = ownersOf(instance, keys, list);

  const counts = new Map<string, number>();
  for (const o of base) counts.set(o, (counts.get(o) ?? 0) + 1);
  const maxOverMean = Math.max(...counts.values()) / (list.length / servers.length);

  const twin = ownersOf(c.build(servers), keys, list);
  let differ = 0;
  for (let i = 0; i < base.length; i++) if (twin[i] !== base[i]) differ++;

  // grow/shrink may change the instance in place (the npm rings do), so each starts from its own.
  const added = moves(base, ownersOf(instance.grow('added-server'), keys, list), new Set(servers));
  const last = servers[servers.length - 1]!;
  const other = c.build(servers);
  const before = ownersOf(other, keys, list);
  const removed = moves(before, ownersOf(other.shrink(last), keys, list), new Set(servers.slice(0, -1)));
  return {
    name: c.name,
    memoryBytes,
    movedAdd: added.moved,
    wrongAdd: added.wrong,
    movedRemove: removed.moved,
    wrongRemove: removed.wrong,
    maxOverMean,
    deterministic: differ === 0 ? 'yes' : `no (${((100 * differ) / base.length).toFixed(1)}% differ)`,
    owners: base,
  };
}

/**
 * Build and lookup times, in rounds that visit every contender once each, so a burst of load on a
 * shared machine lands on all of them rather than on one; medians over the rounds.
 */
function measureTimes(servers: string[], all: string[]): { buildMs: number; lookupsPerSec: number }[] {
  const list = all.slice(0, TIMED_KEYS);
  const built = contenders.map((c) => c.build(servers));
  const builds: number[][] = contenders.map(() => []);
  const lookups: number[][] = contenders.map(() => []);
  let sink = 0;
  for (let round = 0; round <= RUNS; round++) {
    contenders.forEach((c, i) => {
      const t0 = performance.now();
      c.build(servers);
      const t1 = performance.now();
      const r = built[i]!;
      for (const k of list) sink += r.owner(k)?.length ?? 0;
      const t2 = performance.now();
      // Round 0 warms up the JIT and is not counted.
      if (round > 0) { builds[i]!.push(t1 - t0); lookups[i]!.push(t2 - t1); }
    });
  }
  if (sink < 0) throw new Error('unreachable');
  return contenders.map((_, i) => ({ buildMs: median(builds[i]!), lookupsPerSec: list.length / (median(lookups[i]!) / 1000) }));
}

/** a / b with three significant digits: tiny and huge ratios stay readable. */
const times = (a: number, b: number): string => (b === 0 ? '—' : `${(a / b).toPrecision(3)}×`);

const targets: string[] = [];
function check(what: string, ok: boolean, detail: string): void {
  targets.push(`${ok ? 'met   ' : 'MISSED'}  ${what}: ${detail}`);
}

function runConfig(n: number): void {
  const servers = Array.from({ length: n }, (_, i) => `10.0.${i >> 8}.${i & 255}:11211`);
  const keys = KeySet.empty.with({ kind: 'generated', seed: 2024, count: KEY_COUNT });
  const list = keys.slice(0, keys.size);
  console.log(`\n── ${n} servers, ${fmt(KEY_COUNT)} keys, ${VNODES} vnodes where applicable (times: medians of ${RUNS} rounds, lookups timed on ${fmt(Math.min(TIMED_KEYS, KEY_COUNT))} keys) ──`);
  const placements = contenders.map((c) => {
    process.stderr.write(`  placing keys with ${c.name}…\n`);
    return measurePlacement(c, servers, keys, list);
  });
  process.stderr.write('  timing builds and lookups…\n');
  const timings = measureTimes(servers, list);
  const results: Result[] = placements.map((p, i) => ({ ...p, ...timings[i]! }));
  const ref = results[0]!;
  const idealAdd = 1 / (n + 1);
  const idealRemove = 1 / n;
  printTable(results.map((r) => ({
    contender: r.name,
    'build ms': `${fmt(r.buildMs)} (${times(r.buildMs, ref.buildMs)})`,
    'lookups/s': `${fmt(r.lookupsPerSec / 1e6)}M (${times(r.lookupsPerSec, ref.lookupsPerSec)})`,
    memory: `${fmt(r.memoryBytes / 1024)} KiB (${times(r.memoryBytes, ref.memoryBytes)})`,
    'moved on add': `${(r.movedAdd * 100).toFixed(2)}% (${times(r.movedAdd, idealAdd)} ideal, ${times(r.movedAdd, ref.movedAdd)})`,
    'wrong on add': fmt(r.wrongAdd),
    'moved on remove': `${(r.movedRemove * 100).toFixed(2)}% (${times(r.movedRemove, idealRemove)} ideal, ${times(r.movedRemove, ref.movedRemove)})`,
    'wrong on remove': fmt(r.wrongRemove),
    'max/mean': `${r.maxOverMean.toFixed(3)} (${times(r.maxOverMean, ref.maxOverMean)})`,
    'same when rebuilt': r.deterministic,
  })));
  console.log(`ideal: ${(idealAdd * 100).toFixed(2)}% on add, ${(idealRemove * 100).toFixed(2)}% on remove; ratios in parentheses are to the reference ring of this run unless marked "ideal".`);

  const get = (name: string): Result => results.find((r) => r.name === name)!;
  const ring = get('ring');
  const ketama = get('ketama');
  const hashring = get('npm hashring');
  check(`${n} servers: ring lookups ≥ 0.9× reference`, ring.lookupsPerSec >= 0.9 * ref.lookupsPerSec, times(ring.lookupsPerSec, ref.lookupsPerSec));
  check(`${n} servers: ring lookups ≥ 10× hashring`, ring.lookupsPerSec >= 10 * hashring.lookupsPerSec, times(ring.lookupsPerSec, hashring.lookupsPerSec));
  check(`${n} servers: ketama lookups ≥ 5× hashring`, ketama.lookupsPerSec >= 5 * hashring.lookupsPerSec, times(ketama.lookupsPerSec, hashring.lookupsPerSec));
  let same = 0;
  for (let i = 0; i < ketama.owners.length; i++) if (ketama.owners[i] === hashring.owners[i]) same++;
  check(`${n} servers: ketama owners identical to hashring`, same === ketama.owners.length, `${fmt(same)} of ${fmt(ketama.owners.length)}`);
  for (const name of ['ring', 'jump', 'rendezvous']) {
    const r = get(name);
    check(`${n} servers: ${name} moves ≤ 1.1× ideal, no wrong moves`, r.movedAdd <= 1.1 * idealAdd && r.movedRemove <= 1.1 * idealRemove && r.wrongAdd + r.wrongRemove === 0,
      `add ${times(r.movedAdd, idealAdd)}, remove ${times(r.movedRemove, idealRemove)}, wrong ${r.wrongAdd + r.wrongRemove}`);
  }
  if (n === 10) check('10 servers × 160 vnodes: ring max/mean ≤ 1.15', ring.maxOverMean <= 1.15, ring.maxOverMean.toFixed(3));
  const bounded = get('bounded');
  check(`${n} servers: bounded max/mean ≤ 1 + ε = ${1 + EPSILON}`, bounded.maxOverMean <= 1 + EPSILON + 1e-9, bounded.maxOverMean.toFixed(3));
}

/**
 * ketama's point count per server comes from a float formula that gives 39 digests instead of 40 at
 * some server counts (libketama: 61, 122, …; hashring, in double precision: 7, 14, 28, 49, …).
 * Adding a server across such a count changes every server's points, so keys move between servers
 * that stayed: wrong moves that a consistent scheme should not make.
 */
function roundingBoundaries(): void {
  const keys = KeySet.empty.with({ kind: 'generated', seed: 7, count: KEY_COUNT });
  const list = keys.slice(0, keys.size);
  const names = (n: number): string[] => Array.from({ length: n }, (_, i) => `10.0.${i >> 8}.${i & 255}:11211`);
  const rows: Record<string, string>[] = [];
  for (const [who, c, from] of [['ketama', ours('ketama'), 10], ['ketama', ours('ketama'), 60], ['npm hashring', contenders[1]!, 10], ['npm hashring', contenders[1]!, 48]] as const) {
    const servers = names(from);
    const base = c.build(servers);
    const before = ownersOf(base, keys, list);
    const r = moves(before, ownersOf(base.grow(names(from + 1)[from]!), keys, list), new Set(servers));
    rows.push({ scheme: who, change: `${from} → ${from + 1} servers`, moved: `${(r.moved * 100).toFixed(2)}% (${times(r.moved, 1 / (from + 1))} ideal)`, 'wrong moves': fmt(r.wrong) });
  }
  console.log(`\n── ketama across a point-count rounding boundary (${fmt(KEY_COUNT)} keys) ──`);
  printTable(rows);
}

console.log(`Node ${process.version}; lookups are key string → server name, hashing included.`);
runConfig(10);
runConfig(100);
roundingBoundaries();
console.log('\nTargets (issue 3):');
for (const t of targets) console.log(`  ${t}`);
