import assert from 'node:assert/strict';
import { test } from 'node:test';
import HashRing from 'hashring';
import { noRunContext } from '../../../extension/engines/core/model';
import { KeySet, Router, generateKeys, ketamaDigestCounts, movementReport } from '../../../extension/engines/ring';

const memcached = (n: number): string[] => Array.from({ length: n }, (_, i) => `10.0.${i >> 8}.${i & 255}:11211`);

/** Counts of keys whose owner differs between our ketama and the npm `hashring` (no LRU cache, to test the ring itself). */
function disagreements(servers: string[], keys: number): number {
  const ours = Router.build('ketama', servers);
  const theirs = new HashRing(servers, 'md5', { 'max cache size': 1 });
  let differ = 0;
  generateKeys(7, keys, (k) => { if (ours.owner(k) !== theirs.get(k)) differ++; });
  return differ;
}

test('ketama routes 100,000 keys exactly as the npm hashring at 10 servers', () => {
  assert.equal(disagreements(memcached(10), 100_000), 0);
});

test('ketama routes 100,000 keys exactly as the npm hashring at 100 servers', () => {
  assert.equal(disagreements(memcached(100), 100_000), 0);
});

test("ketama's point counts follow libketama's single-precision formula (checked against the C code built with gcc)", () => {
  // Every N ≤ 1000 where floorf(pct · 40.0 · (float)N) gives 39 instead of 40 at equal weights.
  const short = [];
  for (let n = 1; n <= 1000; n++) if (ketamaDigestCounts(new Array(n).fill(1))[0] !== 40) short.push(n);
  assert.deepEqual(short, [61, 122, 237, 244, 474, 488, 933, 948, 951, 953, 976]);
  // Weighted: memory 1, 2, 3, 5, 7 out of 18 on 5 servers gives these digest counts in C.
  assert.deepEqual(ketamaDigestCounts([1, 2, 3, 5, 7]), [11, 22, 33, 55, 77]);
});

test('hashring rounds differently from libketama at some server counts: 49 (39 digests, not 40) and 61 (the reverse)', () => {
  for (const [n, ours, theirs] of [[49, 40, 39], [61, 39, 40]] as const) {
    const servers = memcached(n);
    const ring = new HashRing(servers, 'md5', { 'max cache size': 1 });
    const pointsOfFirst = ring.ring.filter((p) => p.server === servers[0]).length;
    assert.equal(pointsOfFirst, theirs * 4, `hashring at N=${n}`);
    assert.equal(ketamaDigestCounts(new Array(n).fill(1))[0], ours, `libketama at N=${n}`);
    const routed = Router.build('ketama', servers);
    assert.equal(routed.scheme.layout().pointsPerServer[0], ours * 4);
    // With different point counts the two continua disagree on a few percent of the keys.
    const differ = disagreements(servers, 20_000);
    assert.ok(differ > 200 && differ < 2_000, `N=${n}: ${differ} of 20,000 keys differ`);
  }
});

test('crossing a rounding boundary (60 → 61 servers) moves keys between surviving servers; 10 → 11 does not', () => {
  const keys = KeySet.empty.with({ kind: 'generated', seed: 3, count: 50_000 });
  const wrongMovesOnAdding = (n: number): number => {
    const before = Router.build('ketama', memcached(n));
    const after = before.add(memcached(n + 1)[n]!);
    return movementReport(
      { change: 'add', label: 'add' },
      { servers: before.servers, owners: before.assign(keys, noRunContext)! },
      { servers: after.servers, owners: after.assign(keys, noRunContext)! },
    ).wrongMoves;
  };
  assert.equal(wrongMovesOnAdding(10), 0);
  // Every server drops from 160 to 156 points, handing those arcs to other survivors.
  assert.ok(wrongMovesOnAdding(60) > 500);
});

test("ketama's replicas are hashring's distinct servers clockwise", () => {
  const servers = memcached(10);
  const ours = Router.build('ketama', servers);
  const theirs = new HashRing(servers, 'md5', { 'max cache size': 1 });
  generateKeys(11, 2_000, (k) => { assert.deepEqual(ours.replicas(k, 3), theirs.range(k, 3)); });
});
