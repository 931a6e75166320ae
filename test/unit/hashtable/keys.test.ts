import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { UserError } from '../../../extension/engines/core/model';
import { JAVA_FAMILY_SIZE, KeyGenerators, combine, compareCombines, javaFamilyKey, recordHasher, reducer, zOrderRecord } from '../../../extension/engines/hashtable';
import { hashString, hasher, murmur3_32 } from '../../../extension/engines/hashing';

test('adversarial keys for Java: the "Aa"/"BB" family really shares one 32-bit hash', () => {
  const h = hashString('java', javaFamilyKey(0));
  fc.assert(fc.property(fc.integer({ min: 0, max: JAVA_FAMILY_SIZE - 1 }), (i) => assert.equal(hashString('java', javaFamilyKey(i)), h)), { numRuns: 500 });
  const g = new KeyGenerators(5);
  const keys = Array.from({ length: 1000 }, () => g.adversarial({ hash: hasher('java'), bucketOf: reducer(16), javaStrings: true }));
  assert.equal(new Set(keys).size, 1000, 'distinct keys');
  assert.equal(new Set(keys.map((k) => hashString('java', k))).size, 1, 'one hash');
  // …while other hashes tell them apart.
  assert.equal(new Set(keys.map((k) => hashString('murmur3_32', k))).size, 1000);
});

test('adversarial keys for other hashes collide modulo the table size (seeded search)', () => {
  for (const fn of ['murmur3_32', 'xxhash32', 'fnv1a32', 'crc32', 'djb2'] as const) {
    for (const size of [64, 97]) {
      const hash = hasher(fn, 3);
      const bucketOf = reducer(size);
      const tries = { n: 0 };
      const g = new KeyGenerators(11);
      const keys = Array.from({ length: 50 }, () => g.adversarial({ hash, bucketOf, javaStrings: false }, tries));
      assert.equal(new Set(keys.map((k) => bucketOf(hash(k)))).size, 1, `${fn} mod ${size}`);
      assert.ok(tries.n > 50 * size * 0.3 && tries.n < 50 * size * 3, `search took ${tries.n} tries`);
      // Seeded: the same seed finds the same keys.
      const again = new KeyGenerators(11);
      assert.deepEqual(Array.from({ length: 50 }, () => again.adversarial({ hash, bucketOf, javaStrings: false })), keys);
    }
  }
});

test('sequential keys continue from where they stopped, also after restoring the state', () => {
  const g = new KeyGenerators(1);
  assert.deepEqual([g.sequential(), g.sequential(), g.sequential()], ['user:1', 'user:2', 'user:3']);
  const copy = new KeyGenerators(g.state());
  assert.equal(copy.sequential(), 'user:4');
  assert.equal(g.restarted().sequential(), 'user:1');
});

test('random keys are reproducible from the seed and differ between seeds', () => {
  const a = new KeyGenerators(42);
  const b = new KeyGenerators(42);
  const c = new KeyGenerators(43);
  const ka = Array.from({ length: 100 }, () => a.random());
  assert.deepEqual(Array.from({ length: 100 }, () => b.random()), ka);
  assert.notDeepEqual(Array.from({ length: 100 }, () => c.random()), ka);
  assert.ok(ka.every((k) => /^rand:[0-9a-f]{12}$/.test(k)));
  assert.equal(new Set(ka).size, 100);
});

test('record keys in Z-order: the first 4^k points of {x, y} fill a 2^k square', () => {
  const pts = Array.from({ length: 16 }, (_, i) => zOrderRecord(i, 2));
  assert.deepEqual(pts.slice(0, 4), ['0,0', '1,0', '0,1', '1,1']);
  assert.deepEqual(new Set(pts), new Set(Array.from({ length: 16 }, (_, i) => `${i % 4},${Math.floor(i / 4)}`)));
  const cube = new Set(Array.from({ length: 64 }, (_, i) => zOrderRecord(i, 3)));
  assert.equal(cube.size, 64);
  for (const p of cube) assert.ok(p.split(',').every((v) => Number(v) < 4));
  const g = new KeyGenerators(1, { fields: ['x', 'y'], combine: 'xor' });
  assert.deepEqual([g.sequential(), g.sequential()], ['0,0', '1,0']);
  assert.match(g.random(), /^\d+,\d+$/);
});

test('combines: known answers', () => {
  const f = [3, 4];
  assert.equal(combine('poly31', f, 2, 0), 31 * (31 * 1 + 3) + 4);
  assert.equal(combine('xor', f, 2, 0), 7);
  assert.equal(combine('sum', f, 2, 0), 7);
  assert.equal(combine('murmur', f, 2, 9), murmur3_32(new Uint8Array([3, 0, 0, 0, 4, 0, 0, 0]), 8, 9));
  // Text fields use the table's string hash; integers hash as themselves.
  const h = recordHasher({ fields: ['first', 'last'], combine: 'xor' }, hasher('java'), 0);
  assert.equal(h('Ada,Lovelace'), (hashString('java', 'Ada') ^ hashString('java', 'Lovelace')) >>> 0);
  assert.equal(h('-1,0'), 0xffffffff);
  assert.equal(h('x,x'), 0, 'XOR of equal fields is 0');
});

test('a malformed record key is a UserError saying what to write', () => {
  const h = recordHasher({ fields: ['x', 'y'], combine: 'poly31' }, hasher('java'), 0);
  assert.throws(() => h('3'), (e: unknown) => e instanceof UserError && /not a x,y record/.test(e.message) && /"3,4"/.test(e.message));
  assert.throws(() => h('1,2,3'), UserError);
});

test('on a grid of points, XOR and sum flood buckets while the murmur mixer spreads them', () => {
  const keys = Array.from({ length: 4096 }, (_, i) => zOrderRecord(i, 2)); // the 64 × 64 square
  const stats = Object.fromEntries(compareCombines(keys, { fields: ['x', 'y'], combine: 'xor' }, hasher('java'), 0, reducer(8192)).map((s) => [s.combine, s]));
  assert.equal(stats.xor!.distinctHashes, 64, 'x ^ y takes 64 values on a 64 × 64 grid');
  assert.equal(stats.sum!.distinctHashes, 127, 'x + y takes 127 values');
  assert.equal(stats.murmur!.distinctHashes, 4096);
  assert.equal(stats.poly31!.distinctHashes, 31 * 63 + 63 + 1, '31x + y on a 64 × 64 grid');
  assert.ok(stats.xor!.maxBucket >= 64 && stats.murmur!.maxBucket <= 6, `xor ${stats.xor!.maxBucket} vs murmur ${stats.murmur!.maxBucket}`);
  assert.ok(stats.xor!.collisionRate > 0.98 && stats.murmur!.collisionRate === 0);
  assert.ok(stats.murmur!.usedBuckets > 3000 && stats.xor!.usedBuckets === 64);
});
