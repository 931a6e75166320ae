/**
 * Table sizes. Power-of-two sizes reduce a hash with a mask (fast, but only the low bits count);
 * prime sizes with a remainder (every bit counts). Quadratic probing on primes needs p ≡ 3 (mod 4),
 * where the alternating sequence h ± i² reaches every slot.
 */
import type { SizePolicy } from '../../protocol/hashtable';
import { MAX_TABLE_SIZE } from '../../protocol/hashtable';

export function isPrime(n: number): boolean {
  if (n < 2 || !Number.isInteger(n)) return false;
  if (n % 2 === 0) return n === 2;
  for (let d = 3; d * d <= n; d += 2) if (n % d === 0) return false;
  return true;
}

/** The smallest size ≥ n the policy allows (`quadraticPrime`: primes ≡ 3 mod 4). */
export function sizeAtLeast(n: number, policy: SizePolicy, quadraticPrime = false): number {
  const want = Math.max(2, Math.ceil(n));
  if (policy === 'pow2') {
    let s = 2;
    while (s < want) s *= 2;
    return s;
  }
  let p = Math.max(3, want);
  while (!isPrime(p) || (quadraticPrime && p % 4 !== 3)) p++;
  return p;
}

/** Largest size the policy allows (prime sizes stay below the power-of-two cap). */
export function maxSize(policy: SizePolicy, quadraticPrime = false): number {
  if (policy === 'pow2') return MAX_TABLE_SIZE;
  let p = MAX_TABLE_SIZE - 1;
  while (!isPrime(p) || (quadraticPrime && p % 4 !== 3)) p--;
  return p;
}

/** Reduces a hash to a slot of a table of `size` slots: a mask for powers of two, else a remainder. */
export function reducer(size: number): (hash: number) => number {
  const mask = size - 1;
  return (size & mask) === 0 ? (h) => h & mask : (h) => h % size;
}
