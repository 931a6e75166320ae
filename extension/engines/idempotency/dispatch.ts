/**
 * How a consumer hands deliveries to its worker threads. Single: one thread, order kept, no
 * parallelism. Round robin: the next worker in turn, so two messages of one key can run at once
 * and finish out of order. Key hash: `hash(key) % N`, so a key always lands on the same worker and
 * its messages run one after another, in the order they arrived.
 */
import { hashString } from '../hashing';
import type { DispatchMode, Partitioner } from '../../protocol/idempotency';
import { kafkaPartition } from './kafkaPartitioner';

/** The worker (or partition) a key goes to under `hash(key) % n`. */
export function partitionOf(partitioner: Partitioner, key: string, n: number): number {
  return partitioner === 'kafka' ? kafkaPartition(key, n) : hashString(partitioner, key) % n;
}

/** Worker threads actually used: a single consumer is one thread whatever the worker setting. */
export function activeWorkers(dispatch: DispatchMode, workers: number): number {
  return dispatch === 'single' ? 1 : workers;
}
