/**
 * Hashing a record type: a key spells a record's field values in order, comma-separated
 * ("3,4" for a point {x, y}, "Ada,Lovelace" for {first, last}). Each field is hashed on its own
 * (an integer as itself, as Java's Integer.hashCode does; text with the table's string hash) and
 * the field hashes are folded with the chosen combine. The comparison hashes one record set under
 * every combine, to show how symmetric combines (XOR, sum) flood buckets.
 */
import { COMBINES, Combine, CombineStats, RecordType } from '../../protocol/hashtable';
import { UserError } from '../core/model';
import { StringHash, murmur3_32 } from '../hashing';

const INT_FIELD = /^-?\d{1,10}$/;

/** The field values of a record key, or a UserError saying what is wrong with it. */
export function recordFields(key: string, record: RecordType): string[] {
  const parts = key.split(',');
  if (parts.length !== record.fields.length)
    throw new UserError(`"${key}" is not a ${record.fields.join(',')} record: it has ${parts.length} value${parts.length === 1 ? '' : 's'}, the record type ${record.fields.length}. Write the values in order, separated by commas, e.g. "${record.fields.map((_, i) => i + 3).join(',')}".`);
  return parts;
}

function fieldHash(value: string, text: StringHash): number {
  if (INT_FIELD.test(value)) {
    const n = Number(value);
    if (n >= -2147483648 && n <= 2147483647) return n >>> 0;
  }
  return text(value);
}

const words = new Uint32Array(8);
const wordBytes = new Uint8Array(words.buffer);

/** Folds field hashes (unsigned 32-bit) into one. */
export function combine(how: Combine, hashes: ArrayLike<number>, n: number, seed: number): number {
  let h: number;
  switch (how) {
    case 'poly31':
      h = 1;
      for (let i = 0; i < n; i++) h = (Math.imul(h, 31) + hashes[i]!) | 0;
      return h >>> 0;
    case 'xor':
      h = 0;
      for (let i = 0; i < n; i++) h ^= hashes[i]!;
      return h >>> 0;
    case 'sum':
      h = 0;
      for (let i = 0; i < n; i++) h = (h + hashes[i]!) | 0;
      return h >>> 0;
    case 'murmur':
      // MurmurHash3 over the field hashes as little-endian words: its block mix per field, its finaliser at the end.
      for (let i = 0; i < n; i++) words[i] = hashes[i]!;
      return murmur3_32(wordBytes, 4 * n, seed);
  }
}

/** A string hash for record keys under the record type's combine. */
export function recordHasher(record: RecordType, text: StringHash, seed: number, how: Combine = record.combine): StringHash {
  const fh = new Uint32Array(record.fields.length);
  return (key) => {
    const values = recordFields(key, record);
    for (let i = 0; i < values.length; i++) fh[i] = fieldHash(values[i]!, text);
    return combine(how, fh, values.length, seed);
  };
}

/** Distinct values in a sorted array, and the longest run of one value. */
function runs(sorted: Uint32Array): { distinct: number; longest: number } {
  let distinct = 0;
  let longest = 0;
  for (let i = 0; i < sorted.length; ) {
    let j = i + 1;
    while (j < sorted.length && sorted[j] === sorted[i]) j++;
    distinct++;
    if (j - i > longest) longest = j - i;
    i = j;
  }
  return { distinct, longest };
}

/** The same records under every combine: distinct hashes, collision rate, buckets used and the fullest bucket. */
export function compareCombines(keys: readonly string[], record: RecordType, text: StringHash, seed: number, bucketOf: (hash: number) => number): CombineStats[] {
  return COMBINES.map((how) => {
    const hash = recordHasher(record, text, seed, how);
    const hashes = new Uint32Array(keys.length);
    const buckets = new Uint32Array(keys.length);
    for (let i = 0; i < keys.length; i++) {
      hashes[i] = hash(keys[i]!);
      buckets[i] = bucketOf(hashes[i]!);
    }
    const h = runs(hashes.sort());
    const b = runs(buckets.sort());
    return {
      combine: how,
      distinctHashes: h.distinct,
      collisionRate: keys.length ? 1 - h.distinct / keys.length : 0,
      usedBuckets: b.distinct,
      maxBucket: b.longest,
    };
  });
}
