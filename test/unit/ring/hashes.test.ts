import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import fc from 'fast-check';
import { jumpHash } from '../../../extension/engines/ring/jumpHash';
import { md5Hex, md5KeyHash } from '../../../extension/engines/ring/md5';

// RFC 1321, appendix A.5.
const rfc1321: [string, string][] = [
  ['', 'd41d8cd98f00b204e9800998ecf8427e'],
  ['a', '0cc175b9c0f1b6a831c399e269772661'],
  ['abc', '900150983cd24fb0d6963f7d28e17f72'],
  ['message digest', 'f96b697d7cb7938d525a2f31aaf161d0'],
  ['abcdefghijklmnopqrstuvwxyz', 'c3fcd3d76192e4007dfb496cca67e13b'],
  ['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 'd174ab98d277d9f5a5611c2c9f419d9f'],
  ['1234567890'.repeat(8), '57edf4a22be3c955ac49da2e2107b67a'],
];

for (const [input, digest] of rfc1321) {
  test(`md5(${JSON.stringify(input.length > 20 ? input.slice(0, 20) + '…' : input)}) matches RFC 1321`, () => {
    assert.equal(md5Hex(input), digest);
  });
}

test('md5 agrees with node:crypto on every padding boundary and on non-ASCII text', () => {
  for (let n = 0; n <= 200; n++) {
    const s = 'k'.repeat(n);
    assert.equal(md5Hex(s), createHash('md5').update(s).digest('hex'), `length ${n}`);
  }
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => {
      assert.equal(md5Hex(s), createHash('md5').update(s, 'utf8').digest('hex'));
    }),
    { numRuns: 300 },
  );
});

test("ketama's key hash is the digest's bytes 3,2,1,0 read as one word", () => {
  const d = createHash('md5').update('user:42').digest();
  assert.equal(md5KeyHash('user:42'), ((d[3]! << 24) | (d[2]! << 16) | (d[1]! << 8) | d[0]!) >>> 0);
});

// Outputs of the paper's C++ JumpConsistentHash, compiled with g++ on x86-64 (keys × bucket counts).
const BUCKETS = [1, 2, 3, 10, 100, 1000, 65536, 1000000, 2147483647];
const JUMP_REFERENCE: [bigint, number[]][] = [
  [0x0n, [0, 0, 0, 0, 0, 0, 0, 0, 0]],
  [0x1n, [0, 0, 0, 6, 55, 549, 21134, 985611, 262355607]],
  [0xdeadbeefn, [0, 1, 2, 5, 87, 285, 64244, 479362, 1452406526]],
  [0xddc0ffeebadf00dn, [0, 1, 2, 2, 72, 113, 47800, 86737, 848029737]],
  [0xffffffffffffffffn, [0, 1, 2, 9, 92, 313, 18311, 589430, 699554662]],
  [0x75bcd15n, [0, 0, 0, 7, 34, 294, 42483, 561473, 1234790967]],
  [0x8000000000000000n, [0, 1, 1, 5, 84, 453, 53854, 802256, 1119800965]],
  [0x2an, [0, 1, 2, 2, 43, 571, 5747, 153897, 1603940301]],
];
const jump64 = (key: bigint, buckets: number): number => jumpHash(Number(key >> 32n), Number(key & 0xffffffffn), buckets);

test('jump hash reproduces the reference C++ outputs, up to 2³¹ − 1 buckets', () => {
  for (const [key, expected] of JUMP_REFERENCE) assert.deepEqual(BUCKETS.map((b) => jump64(key, b)), expected, `key 0x${key.toString(16)}`);
});

test('jump hash reproduces the published go-jump vectors (keys 1, 0xdeadbeef, 0x0ddc0ffeebadf00d; 1…19 buckets)', () => {
  const vectors: [bigint, number[]][] = [
    [1n, [0, 0, 0, 0, 0, 0, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 17, 17]],
    [0xdeadbeefn, [0, 1, 2, 3, 3, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 16, 16, 16]],
    [0x0ddc0ffeebadf00dn, [0, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 15, 15, 15, 15]],
  ];
  for (const [key, expected] of vectors) assert.deepEqual(expected.map((_, i) => jump64(key, i + 1)), expected);
});

test('jump hash: one more bucket either keeps a key or moves it to the new bucket', () => {
  fc.assert(
    fc.property(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.integer({ min: 1, max: 5000 }), (key, n) => {
      const before = jump64(key, n);
      const after = jump64(key, n + 1);
      assert.ok(before >= 0 && before < n);
      assert.ok(after === before || after === n, `key ${key}: ${before} → ${after} at ${n} → ${n + 1}`);
    }),
    { numRuns: 2000 },
  );
});
