/**
 * The hash functions every inspector shares. Each maps a string key to an unsigned 32-bit
 * integer; byte-oriented functions see the key's UTF-8 bytes, Java's sees UTF-16 code units as
 * String.hashCode does.
 */
import { crc32 } from './crc32';
import { djb2 } from './djb2';
import { fnv1a32 } from './fnv1a32';
import { javaStringHash } from './javaHash';
import { murmur3_32 } from './murmur3';
import { utf8Into } from './utf8';
import { xxhash32 } from './xxhash32';

export { crc32 } from './crc32';
export { djb2 } from './djb2';
export { fnv1a32 } from './fnv1a32';
export { javaStringHash, toJavaInt } from './javaHash';
export { fmix32, murmur3_32 } from './murmur3';
export { utf8, utf8Into } from './utf8';
export { xxhash32 } from './xxhash32';

export const HASH_NAMES = ['fnv1a32', 'murmur3_32', 'xxhash32', 'djb2', 'java', 'crc32'] as const;
export type HashName = (typeof HASH_NAMES)[number];

export interface HashInfo {
  readonly name: HashName;
  readonly label: string;
  /** Whether the seed changes the result. */
  readonly seeded: boolean;
  readonly description: string;
}

export const HASH_INFO: Record<HashName, HashInfo> = {
  fnv1a32: { name: 'fnv1a32', label: 'FNV-1a (32-bit)', seeded: false, description: 'XOR then multiply per byte; simple and decent for short keys.' },
  murmur3_32: { name: 'murmur3_32', label: 'MurmurHash3 x86 32', seeded: true, description: '4-byte blocks with a strong finalizer; good avalanche.' },
  xxhash32: { name: 'xxhash32', label: 'xxHash32', seeded: true, description: 'Four parallel lanes; fast on long keys, strong avalanche.' },
  djb2: { name: 'djb2', label: 'djb2', seeded: false, description: 'h·33 + c; weak mixing, similar keys land close together.' },
  java: { name: 'java', label: 'Java String.hashCode', seeded: false, description: '31·h + c over UTF-16; trivially colliding families ("Aa" = "BB").' },
  crc32: { name: 'crc32', label: 'CRC32', seeded: false, description: 'An error-detecting code, linear over XOR; used for sharding by Redis Cluster (CRC16) and others.' },
};

export type StringHash = (key: string) => number;

/**
 * A hash from outside the registry (a function from the user's code, see selectedHash.ts). Engines
 * take it wherever they take a hash name; it is far cheaper per key in batches (`many`, `prime`)
 * than one call at a time.
 */
export interface ExternalHash {
  readonly label: string;
  readonly hash: StringHash;
  many(keys: readonly string[]): Uint32Array;
  /** Prepares keys an engine is about to hash one at a time. */
  prime(keys: readonly string[]): void;
}

/** A named hash of the registry, or an external one. */
export type HashRef = HashName | ExternalHash;

export function isHashName(s: string): s is HashName {
  return (HASH_NAMES as readonly string[]).includes(s);
}

/** Every key's hash: one batch for an external hash, a loop for the registry's. */
export function hashAll(ref: HashRef, keys: readonly string[], seed = 0): Uint32Array {
  if (typeof ref !== 'string') return ref.many(keys);
  const h = hasher(ref, seed);
  return Uint32Array.from(keys, (k) => h(k));
}

/** A string → u32 function for the named hash (seed used by the seeded ones), or the external hash's own. */
export function hasher(name: HashRef, seed = 0): StringHash {
  if (typeof name !== 'string') return name.hash;
  // Local bindings: when this module is loaded as CommonJS (tsx, tests), every imported name is a
  // getter, and a closure called millions of times should not pay for it on each call.
  const encode = utf8Into;
  const bytesHash = { fnv1a32, djb2, crc32 }[name as 'fnv1a32' | 'djb2' | 'crc32'];
  switch (name) {
    case 'murmur3_32': {
      const f = murmur3_32;
      return (k) => { const e = encode(k); return f(e.bytes, e.length, seed); };
    }
    case 'xxhash32': {
      const f = xxhash32;
      return (k) => { const e = encode(k); return f(e.bytes, e.length, seed); };
    }
    case 'java':
      return javaStringHash;
    default:
      return (k) => { const e = encode(k); return bytesHash!(e.bytes, e.length); };
  }
}

export function hashString(name: HashName, key: string, seed = 0): number {
  return hasher(name, seed)(key);
}
