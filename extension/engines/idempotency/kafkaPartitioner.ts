/**
 * Kafka's default partitioner for keyed records, bit for bit as the Java client computes it
 * (`Utils.murmur2` and `BuiltInPartitioner.partitionForKey`): MurmurHash2 with Kafka's seed over the
 * key's UTF-8 bytes, made non-negative by masking the sign bit (not Math.abs, which would map
 * Integer.MIN_VALUE onto itself), modulo the partition count.
 */
import { utf8Into } from '../hashing';

const SEED = 0x9747b28c;
const M = 0x5bd1e995;

/** Kafka's murmur2 as a signed 32-bit int, exactly what `Utils.murmur2(bytes)` returns in Java. */
export function kafkaMurmur2(bytes: Uint8Array, length = bytes.length): number {
  let h = SEED ^ length;
  const blocks = length & ~3;
  for (let i = 0; i < blocks; i += 4) {
    let k = bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  // The tail, as Java's falling-through switch mixes it: byte 2, then byte 1, then byte 0.
  const tail = length & 3;
  if (tail === 3) h ^= bytes[blocks + 2]! << 16;
  if (tail >= 2) h ^= bytes[blocks + 1]! << 8;
  if (tail >= 1) {
    h ^= bytes[blocks]!;
    h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

/** Kafka's `Utils.toPositive`: clears the sign bit. */
export const toPositive = (n: number): number => n & 0x7fffffff;

/** The partition Kafka's Java producer picks for a record with this (string) key. */
export function kafkaPartition(key: string, partitions: number): number {
  const e = utf8Into(key);
  return toPositive(kafkaMurmur2(e.bytes, e.length)) % partitions;
}
