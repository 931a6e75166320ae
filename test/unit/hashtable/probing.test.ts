import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ProbeSequence, isPrime, maxSize, sizeAtLeast } from '../../../extension/engines/hashtable';

/** Slots the first `size` probes from `home` reach. */
function reached(seq: ProbeSequence, hash: number): number {
  const seen = new Uint8Array(seq.size);
  const home = seq.home(hash);
  const step = seq.step(hash);
  let n = 0;
  for (let i = 0; i < seq.size; i++) {
    const j = seq.at(home, i, step);
    assert.ok(Number.isInteger(j) && j >= 0 && j < seq.size, `probe ${i} → ${j} outside 0…${seq.size - 1}`);
    if (!seen[j]) { seen[j] = 1; n++; }
  }
  return n;
}

const pow2Sizes = Array.from({ length: 13 }, (_, k) => 2 ** (k + 1));
const primes3mod4 = [3, 7, 11, 19, 23, 31, 43, 47, 59, 67, 71, 79, 83, 103, 107, 127, 131, 139, 151, 163, 167, 179, 191, 199, 211, 223, 227, 239, 251, 263, 271, 283, 307, 311, 331, 347, 359, 367, 379, 383, 419, 431, 439, 443, 463, 467, 479, 487, 491, 499, 503, 4099, 8191];
const primes = [3, 5, 7, 11, 13, 17, 97, 101, 389, 1009, 4093, 8191];

test('quadratic probing (triangular numbers) visits every slot of every power-of-two table', () => {
  for (const size of pow2Sizes) {
    const seq = new ProbeSequence(size, 'triangular');
    for (const hash of [0, 1, size - 1, 0xdeadbeef, 0xffffffff]) assert.equal(reached(seq, hash), size, `size ${size}, hash ${hash}`);
  }
});

test('quadratic probing (h ± i²) visits every slot of every prime table p ≡ 3 (mod 4)', () => {
  for (const p of primes3mod4) {
    assert.ok(isPrime(p) && p % 4 === 3);
    const seq = new ProbeSequence(p, 'alternating');
    for (const hash of [0, 1, p - 1, 0xdeadbeef, 0xffffffff]) assert.equal(reached(seq, hash), p, `size ${p}, hash ${hash}`);
  }
});

test('the completeness check can fail: plain i² steps on a power of two, or h ± i² on p ≡ 1 (mod 4), miss slots', () => {
  const size = 64;
  const plain = new Set(Array.from({ length: size }, (_, i) => (i * i) % size));
  assert.ok(plain.size < size / 2, `plain quadratic reached ${plain.size} of ${size}`);
  // On 13 ≡ 1 (mod 4), −1 is a square, so +i² and −i² reach the same 7 slots.
  const alternating13 = new Set(Array.from({ length: 13 }, (_, i) => { const k = (i + 1) >> 1; return i & 1 ? (k * k) % 13 : (13 - ((k * k) % 13)) % 13; }));
  assert.equal(alternating13.size, 7);
  assert.throws(() => new ProbeSequence(13, 'alternating'), /≡ 3 \(mod 4\)/);
  assert.throws(() => new ProbeSequence(12, 'triangular'), /power-of-two/);
});

test('linear and double hashing visit every slot for any hash, on power-of-two and prime sizes', () => {
  fc.assert(
    fc.property(fc.constantFrom(...pow2Sizes.slice(0, 10), ...primes), fc.integer({ min: 0, max: 0xffffffff }), (size, hash) => {
      for (const kind of ['linear', 'double'] as const) assert.equal(reached(new ProbeSequence(size, kind), hash), size, `${kind} size ${size} hash ${hash}`);
    }),
    { numRuns: 300 },
  );
});

test('double hashing steps differ between keys that share a home, and are coprime with the size', () => {
  const seq = new ProbeSequence(1024, 'double');
  const steps = new Set<number>();
  for (let k = 0; k < 64; k++) {
    const hash = 7 + 1024 * k; // same home 7
    const step = seq.step(hash);
    assert.equal(step % 2, 1);
    steps.add(step);
  }
  assert.ok(steps.size > 50, `only ${steps.size} distinct steps`);
  const prime = new ProbeSequence(1009, 'double');
  for (let h = 0; h < 2000; h++) { const s = prime.step(h); assert.ok(s >= 1 && s < 1009); }
});

test('sizes: powers of two, primes, and primes ≡ 3 (mod 4) for quadratic probing', () => {
  assert.equal(sizeAtLeast(100, 'pow2'), 128);
  assert.equal(sizeAtLeast(128, 'pow2'), 128);
  assert.equal(sizeAtLeast(100, 'prime'), 101);
  assert.equal(sizeAtLeast(100, 'prime', true), 103);
  assert.equal(sizeAtLeast(0, 'pow2'), 2);
  fc.assert(fc.property(fc.integer({ min: 1, max: 1_000_000 }), (n) => {
    const p = sizeAtLeast(n, 'prime', true);
    assert.ok(p >= n && isPrime(p) && p % 4 === 3);
  }), { numRuns: 200 });
  assert.ok(isPrime(maxSize('prime')) && maxSize('prime') < 2 ** 26);
  assert.equal(maxSize('prime', true) % 4, 3);
});
