import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HASH_NAMES, hashString, toJavaInt } from '../../../extension/engines/hashing';

// Published test vectors: FNV (Noll's reference), SMHasher/MurmurHash3 known answers, the xxHash
// reference implementation, the CRC-32 "check" value, Java's documented String.hashCode results.
const vectors: [name: (typeof HASH_NAMES)[number], key: string, seed: number, expected: number][] = [
  ['fnv1a32', '', 0, 0x811c9dc5],
  ['fnv1a32', 'a', 0, 0xe40c292c],
  ['fnv1a32', 'foobar', 0, 0xbf9cf968],
  ['murmur3_32', '', 0, 0],
  ['murmur3_32', '', 1, 0x514e28b7],
  ['murmur3_32', '', 0xffffffff, 0x81f16f39],
  ['murmur3_32', 'test', 0, 0xba6bd213],
  ['murmur3_32', 'Hello, world!', 0x9747b28c, 0x24884cba],
  ['murmur3_32', 'The quick brown fox jumps over the lazy dog', 0x9747b28c, 0x2fa826cd],
  ['xxhash32', '', 0, 0x02cc5d05],
  ['xxhash32', 'a', 0, 0x550d7456],
  ['xxhash32', 'abc', 0, 0x32d153ff],
  ['xxhash32', 'Nobody inspects the spammish repetition', 0, 0xe2293b2f],
  ['djb2', '', 0, 5381],
  ['djb2', 'a', 0, 177670],
  ['djb2', 'hello', 0, 261238937],
  ['java', '', 0, 0],
  ['java', 'hello', 0, 99162322],
  ['crc32', '', 0, 0],
  ['crc32', '123456789', 0, 0xcbf43926],
  ['crc32', 'The quick brown fox jumps over the lazy dog', 0, 0x414fa339],
];

for (const [name, key, seed, expected] of vectors) {
  test(`${name}(${JSON.stringify(key)}, seed ${seed}) = 0x${expected.toString(16)}`, () => {
    assert.equal(hashString(name, key, seed), expected);
  });
}

test('java: the "Aa"/"BB" family collides and a known key hashes to Integer.MIN_VALUE', () => {
  assert.equal(hashString('java', 'Aa'), hashString('java', 'BB'));
  assert.equal(hashString('java', 'AaAa'), hashString('java', 'BBBB'));
  assert.equal(toJavaInt(hashString('java', 'polygenelubricants')), -2147483648);
});

test('every hash returns an unsigned 32-bit integer, and non-ASCII keys hash their UTF-8 bytes', () => {
  for (const name of HASH_NAMES) {
    for (const key of ['', 'κλειδί', '鍵', '🔑 key', 'x'.repeat(1000)]) {
      const h = hashString(name, key);
      assert.ok(Number.isInteger(h) && h >= 0 && h <= 0xffffffff, `${name}(${key}) = ${h}`);
    }
  }
  // FNV-1a of "é" is FNV-1a of its UTF-8 bytes C3 A9.
  let h = 0x811c9dc5;
  for (const b of [0xc3, 0xa9]) h = Math.imul(h ^ b, 0x01000193);
  assert.equal(hashString('fnv1a32', 'é'), h >>> 0);
});
