/**
 * Runs every recogniser over a parsed selection and returns the findings in source order. Each
 * recogniser owns one concept; where two could claim the same `%` (a shard, a worker, a bucket),
 * the shared modulo reader has already decided which.
 */
import type { Finding } from '../finding';
import type { Facts } from '../syntax/facts';
import type { Recogniser } from './common';
import { connectionPool } from './connectionPool';
import { distributedTransaction } from './distributedTransaction';
import { hashFunction } from './hashFunction';
import { hashRing } from './hashRing';
import { hashTable } from './hashTable';
import { httpKeepAlive } from './httpKeepAlive';
import { idempotency } from './idempotency';
import { moduloSharding } from './moduloSharding';
import { orderedConsumption } from './orderedConsumption';

export const RECOGNISERS: readonly Recogniser[] = [
  moduloSharding, hashFunction, hashTable, hashRing, httpKeepAlive, connectionPool, idempotency, orderedConsumption, distributedTransaction,
];

export function recogniseAll(facts: Facts, minConfidence: number): Finding[] {
  const all = RECOGNISERS.flatMap((r) => r.recognise(facts) as Finding[]).filter((f) => f.confidence >= minConfidence);
  return all.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.concept.localeCompare(b.concept));
}
