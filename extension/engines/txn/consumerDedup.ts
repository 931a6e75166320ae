/**
 * How an outbox consumer recognises an event it has already applied: the idempotency engine's
 * in-memory store (Redis semantics, expiry on the simulation's clock), kept in the consumer's
 * durable state. The key is set with SET NX PX *inside the same local transaction* as the event's
 * effect (`remember` returns that part of the commit), so a crash can never leave the effect
 * without its key or the other way round. Checking a separate Redis first and writing the data
 * after would reopen that window; keeping the key beside the data is the inbox pattern.
 *
 * The key expires after DEDUP_TTL_MS, as it would in Redis: a redelivery later than that would be
 * applied again, which is why the TTL must outlast the broker's longest redelivery.
 */
import { MemoryKeyspace } from '../idempotency/memoryStore';
import type { LocalChange, NodeState } from './state';

/** A day of simulated time: far beyond any redelivery in a run. */
export const DEDUP_TTL_MS = 86_400_000;

export interface ConsumerDedup {
  seen(eventId: string): boolean;
  /** The part of the local transaction that remembers the event. */
  remember(eventId: string): Pick<LocalChange, 'dedupKey'>;
}

const key = (eventId: string): string => `dedup:${eventId}`;

export function consumerDedup(node: NodeState, now: number): ConsumerDedup {
  const keyspace = new MemoryKeyspace({ now: () => now }, node.keyspace ?? new Map());
  return {
    seen: (eventId) => keyspace.get(key(eventId)) !== null,
    remember: (eventId) => ({ dedupKey: { key: key(eventId), ttlMs: DEDUP_TTL_MS } }),
  };
}

/** Applies a commit's dedup key to the node's keyspace (SET key applied NX PX ttl). */
export function setDedupKey(node: NodeState, now: number, dedup: NonNullable<LocalChange['dedupKey']>): void {
  new MemoryKeyspace({ now: () => now }, (node.keyspace ??= new Map())).setNx(dedup.key, 'applied', dedup.ttlMs);
}
