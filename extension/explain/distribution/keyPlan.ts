/**
 * The keys a hash is judged on, all in one list so the sandbox hashes them in a single run:
 * sequential ids ("user:0", "user:1", …) as real systems use them, seeded random strings, and for
 * the avalanche test a set of base keys with every single-bit variant of their characters.
 */
import { Prng } from '../../engines/core/prng';

export interface KeyPlan {
  keys: string[];
  /** keys[0 … distribution) are judged for collisions and bucket spread. */
  distribution: number;
  /** Avalanche: base key i is keys[avalancheBase + i·(1 + variants)], its variants follow it. */
  avalancheBase: number;
  avalancheKeys: number;
  variantsPerKey: number;
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
/** Characters per avalanche base key, and the low bits of each one flipped (7 keeps it ASCII). */
const AVALANCHE_LENGTH = 8;
const BITS_PER_CHAR = 7;

export function keyPlan(options: { sequential?: number; random?: number; avalanche?: number; seed?: number } = {}): KeyPlan {
  const sequential = options.sequential ?? 10_000;
  const random = options.random ?? 10_000;
  const avalancheKeys = options.avalanche ?? 200;
  const prng = new Prng(options.seed ?? 0x5eed);
  const keys: string[] = [];
  for (let i = 0; i < sequential; i++) keys.push(`user:${i}`);
  const randomString = (length: number): string => {
    let s = '';
    for (let j = 0; j < length; j++) s += ALPHABET[prng.int(ALPHABET.length)]!;
    return s;
  };
  for (let i = 0; i < random; i++) keys.push(randomString(6 + prng.int(10)));
  const distribution = keys.length;
  const variantsPerKey = AVALANCHE_LENGTH * BITS_PER_CHAR;
  for (let i = 0; i < avalancheKeys; i++) {
    const base = randomString(AVALANCHE_LENGTH);
    keys.push(base);
    for (let p = 0; p < AVALANCHE_LENGTH; p++) {
      for (let b = 0; b < BITS_PER_CHAR; b++) {
        const c = String.fromCharCode(base.charCodeAt(p) ^ (1 << b));
        keys.push(base.slice(0, p) + c + base.slice(p + 1));
      }
    }
  }
  return { keys, distribution, avalancheBase: distribution, avalancheKeys, variantsPerKey };
}
