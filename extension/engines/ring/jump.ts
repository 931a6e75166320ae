/**
 * `jump`: Jump Consistent Hash over the buckets (jumpHash.ts). The key's 32-bit hash is the low
 * half of jump's 64-bit key. Growing the bucket count by one moves exactly the keys the new bucket
 * takes; buckets can only be added or removed at the end, so removing a server from the middle of
 * the list renumbers the buckets after it and moves their keys.
 *
 * Failover: jump cannot skip a bucket, so a key whose bucket is on a failed server retries with
 * the attempt number as the high half of the 64-bit key (attempt 1, 2, …) until it lands on a live
 * bucket; after 64 attempts it falls back to the next live bucket. The same attempt sequence gives
 * the replicas.
 */
import { jumpHash } from './jumpHash';
import { SlotScheme } from './slots';

const MAX_ATTEMPTS = 64;

export class JumpScheme extends SlotScheme {
  readonly name = 'jump' as const;

  owner(hash: number): number {
    const n = this.slots.count;
    if (n === 0) return -1;
    const first = jumpHash(0, hash, n);
    if (this.slots.isLive(first)) return this.slots.owners[first]!;
    for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt++) {
      const b = jumpHash(attempt, hash, n);
      if (this.slots.isLive(b)) return this.slots.owners[b]!;
    }
    return this.slots.liveAt(first);
  }

  preference(hash: number, count: number): number[] {
    const out: number[] = [];
    const n = this.slots.count;
    const want = Math.min(count, this.servers.length);
    if (n === 0) return out;
    for (let attempt = 0; attempt < MAX_ATTEMPTS && out.length < want; attempt++) this.slots.collect(jumpHash(attempt, hash, n), out);
    this.slots.collectFrom(jumpHash(0, hash, n), want, out);
    return out;
  }
}
